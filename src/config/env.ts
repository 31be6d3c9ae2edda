/** `${ENV_NAME}` references: substituted from the environment; values never printed. */
import type { PathSeg } from './positions.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
export const WHOLE_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export interface EnvResult {
  value: unknown;
  /** Paths whose whole value came from one ${ENV} reference. */
  refPaths: Set<string>;
  missing: Array<{ path: PathSeg[]; name: string }>;
  /** References the command does not need that are not set: left as written (`${NAME}`). */
  unset: Array<{ path: PathSeg[]; name: string }>;
  /** Values that are secrets (secret fields, or variables named like one), so logs can scrub them. */
  secrets: string[];
}

const SECRET_NAME = /PASS|TOKEN|SECRET|KEY|SID|CREDENTIAL|AUTH/i;

export function interpolateEnv(
  data: unknown,
  env: Record<string, string | undefined>,
  secretPaths: readonly string[] = [],
  notNeeded: (path: readonly PathSeg[]) => boolean = () => false,
): EnvResult {
  const refPaths = new Set<string>();
  const missing: EnvResult['missing'] = [];
  const unset: EnvResult['unset'] = [];
  const secrets: string[] = [];
  const walk = (v: unknown, path: PathSeg[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return v;
      if (WHOLE_REF.test(v)) refPaths.add(path.join('\u0000'));
      return v.replace(REF, (_m, name: string) => {
        const val = env[name];
        if (val === undefined || val === '') {
          if (notNeeded(path)) {
            unset.push({ path, name });
            return _m;
          }
          missing.push({ path, name });
          return '';
        }
        if (SECRET_NAME.test(name) || secretPaths.includes(path.join('.'))) secrets.push(val);
        return val;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(data, []), refPaths, missing, unset, secrets };
}

export const pathKey = (path: readonly PathSeg[]) => path.join('\u0000');
