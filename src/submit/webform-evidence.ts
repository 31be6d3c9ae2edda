/** Screenshot and HTML of the page as it was when the outcome was decided. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Frame, Page } from 'playwright-core';

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]).catch(() => undefined);

/** Writes `<artifactsDir>/<token>/{screenshot.png,page.html[,form-frame.html]}`; returns paths relative to reportsDir. */
export async function saveEvidence(
  page: Page,
  formFrame: Frame | undefined,
  dirs: { artifactsDir: string; reportsDir: string },
  token: string,
  opts: { stopLoading?: boolean } = {},
): Promise<Record<string, unknown>> {
  const dir = join(dirs.artifactsDir, token.replace(/[^A-Za-z0-9_-]/g, '_'));
  await mkdir(dir, { recursive: true });
  const out: Record<string, unknown> = {};
  if (page.isClosed()) return out;
  out.url = page.url();
  // A navigation that never finishes (a hanging submit) would block the screenshot: stop it.
  // (window.stop() cannot run then: the page's script context is held by the navigation.)
  if (opts.stopLoading) await withTimeout(stopLoading(page), 2000);
  const shot = join(dir, 'screenshot.png');
  if (await withTimeout(page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).then(() => true), 6000))
    out.screenshot = relative(dirs.reportsDir, shot);
  const html = await withTimeout(page.content(), 5000);
  if (html !== undefined) {
    const file = join(dir, 'page.html');
    await writeFile(file, html);
    out.html = relative(dirs.reportsDir, file);
  }
  if (formFrame && formFrame !== page.mainFrame() && !formFrame.isDetached()) {
    const inner = await withTimeout(formFrame.content(), 3000);
    if (inner !== undefined) {
      const file = join(dir, 'form-frame.html');
      await writeFile(file, inner);
      out.frameHtml = relative(dirs.reportsDir, file);
    }
  }
  return out;
}

async function stopLoading(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Page.stopLoading');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
