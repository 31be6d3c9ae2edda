// Regenerates scripts/readme-screenshot.png (the README's picture of the HTML report) from
// a fresh demo: `npm run build && node scripts/readme-screenshot.mjs`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../dist/submit/browser.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'respond-audit-shot-'));
const html = join(dir, 'demo.html');
execFileSync(process.execPath, [join(root, 'bin/respond-audit.js'), 'demo', '--out', html, '--store', join(dir, 'demo.db')], { stdio: 'ignore' });
const browser = await launchBrowser(undefined, process.env);
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
await page.goto('file://' + html);
// The executive summary (figures, findings, the first thing to fix), not the cover above it.
await page.evaluate(() => document.getElementById('summary').scrollIntoView());
await page.screenshot({ path: join(root, 'scripts/readme-screenshot.png') });
await browser.close();
console.log('wrote scripts/readme-screenshot.png');
