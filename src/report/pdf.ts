/** The PDF format: the HTML report printed by Chromium (the browser the web-form probes use). */
import type { LoadedConfig } from '../config/load.js';
import { adaptersOf, type Adapters } from '../adapters.js';
import { esc } from './html-escape.js';

/** Page footer: the report's name and "page 3 of 12" (Chromium fills in the numbers). */
export function footerTemplate(title: string): string {
  return `<div style="font: 8px system-ui, sans-serif; color: #6b7280; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;"><span>${esc(title)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

export async function printPdf(
  html: string,
  path: string,
  loaded: LoadedConfig,
  env: Record<string, string | undefined>,
  o: { footer?: string; adapters?: Partial<Adapters> | undefined } = {},
): Promise<void> {
  const browser = await adaptersOf(o.adapters).launchBrowser(loaded, env);
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    // Belt and braces beside the CSP: nothing leaves the page while it is printed.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path,
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(o.footer ?? 'Response audit'),
    });
    await context.close();
  } finally {
    await browser.close();
  }
}
