/**
 * reports.brand for the HTML and PDF report: names as given, the accent colour (the schema
 * allows only #rrggbb), and the logo read into a data: URI, only when it really is a PNG or
 * JPEG of reasonable size (the report stays one self-contained file under a strict CSP).
 */
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { AuditConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { Brand } from './html-document.js';

const MAX_LOGO_BYTES = 400_000;

export function brandFromConfig(config: AuditConfig, configDir: string, cwd: string): Brand | undefined {
  const b = config.reports.brand;
  if (!b) return undefined;
  const out: Brand = {};
  if (b.client) out.client = b.client;
  if (b.auditor) out.auditor = b.auditor;
  if (b.accent) out.accent = b.accent;
  if (b.logo) out.logo = logoUri(resolve(configDir, b.logo), cwd);
  return out;
}

function logoUri(file: string, cwd: string): string {
  const shown = relative(cwd, file) || file;
  let buf: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`reports.brand.logo: ${shown} is not a file`, 'EBRAND');
    if (st.size > MAX_LOGO_BYTES) throw new UsageError(`reports.brand.logo: ${shown} is ${Math.round(st.size / 1000)} KB; at most ${MAX_LOGO_BYTES / 1000} KB fits in the report`, 'EBRAND');
    buf = readFileSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`reports.brand.logo: cannot read ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'EBRAND');
  }
  const mime = buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47 ? 'image/png' : buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff ? 'image/jpeg' : null;
  if (!mime) throw new UsageError(`reports.brand.logo: ${shown} is not a PNG or JPEG image`, 'EBRAND');
  return `data:${mime};base64,${buf.toString('base64')}`;
}
