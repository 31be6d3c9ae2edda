/**
 * `script: probes/x.ts` — a custom Playwright function for forms nothing else can handle.
 *
 * The module's default export is called with the page already at the entry point's URL:
 *
 *   export default async function ({ page, shopper, message, preferredDate, entryPoint,
 *                                     site, serviceLine, autoFill, submit }) {
 *     await page.getByLabel('Patient name').fill(shopper.name);
 *     await autoFill();                  // optional: let fields: auto fill the rest
 *     await submit('button#send');       // THE click that sends the inquiry
 *     // return nothing: the outcome is read from the page as usual; or return
 *     // { outcome: 'submitted' | 'validation-error' | 'blocked', details } to decide it.
 *   }
 *
 * Call `submit()` for the click that sends: a failure before it is reported as not sent;
 * a script that never calls it is assumed to have sent (status `unknown` on failure),
 * because the tool cannot know what it clicked. `.ts` scripts need `tsx` installed
 * (a devDependency here); `.js`/`.mjs` scripts load as they are.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { ShopperIdentity } from './types.js';
import type { WebformEntry } from './webform-outcome.js';

export interface WebformScriptContext {
  page: Page;
  shopper: ShopperIdentity;
  message: { subject: string; body: string; sms: string };
  /** YYYY-MM-DD */
  preferredDate: string;
  entryPoint: WebformEntry;
  site: { id: string; name: string };
  serviceLine: { id: string; name: string };
  /** Fills the form the way `fields: auto` does (and the entry's `fields:` map); does not submit. */
  autoFill(): Promise<void>;
  /** Clicks the element that sends the form (a selector or a Locator; default: the detected submit button). */
  submit(target?: string | Locator): Promise<void>;
}

export interface WebformScriptResult {
  outcome?: 'submitted' | 'validation-error' | 'blocked';
  details?: Record<string, unknown>;
  error?: string;
}

export type WebformScript = (ctx: WebformScriptContext) => Promise<WebformScriptResult | void>;

const cache = new Map<string, WebformScript>();

/** Resolved like the config rule does: relative to the project (the config's parent), else the config dir. */
export function resolveScriptPath(script: string, configDir: string): string {
  if (isAbsolute(script)) return script;
  const fromProject = resolve(configDir, '..', script);
  return existsSync(fromProject) ? fromProject : resolve(configDir, script);
}

export async function loadWebformScript(script: string, configDir: string): Promise<WebformScript> {
  const full = resolveScriptPath(script, configDir);
  const hit = cache.get(full);
  if (hit) return hit;
  if (!existsSync(full)) throw new Error(`script ${script} does not exist`);
  const url = pathToFileURL(full).href;
  let mod: { default?: unknown };
  if (/\.(c|m)?ts$/.test(full)) {
    let tsImport: (specifier: string, parent: string) => Promise<{ default?: unknown }>;
    try {
      ({ tsImport } = (await import('tsx/esm/api')) as unknown as { tsImport: typeof tsImport });
    } catch {
      throw new Error(`script ${script} is TypeScript: install tsx next to respond-audit (npm i tsx), or compile it to .js`);
    }
    mod = await tsImport(url, import.meta.url);
  } else mod = (await import(url)) as { default?: unknown };
  const fn = typeof mod.default === 'function' ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  if (typeof fn !== 'function') throw new Error(`script ${script} must export a default async function ({ page, shopper, message, ... })`);
  cache.set(full, fn as WebformScript);
  return fn as WebformScript;
}
