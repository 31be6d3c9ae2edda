/**
 * The PDF format: the HTML report printed by Chromium (the browser the web-form probes use),
 * twice: the second print carries the contents' page numbers read from the first.
 */
import type { LoadedConfig } from '../config/load.js';
import { adaptersOf, type Adapters } from '../adapters.js';
import { esc } from './html-escape.js';
import { destinationPages, numberContents } from './pdf-pages.js';
import { writeReport } from './write.js';

function sameNumbers(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

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
    const print = async (h: string) => {
      await page.setContent(h, { waitUntil: 'load' });
      return page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(o.footer ?? 'Response audit'),
      });
    };
    // Printed again with the contents numbered from where the first print put each section;
    // once more if the numbers moved anything (the contents have a page of their own, so
    // they should not), never more than that.
    let pdf = await print(html);
    let shown = new Map<string, number>();
    for (let pass = 0; pass < 2 && html.includes('class="pg"'); pass++) {
      const at = destinationPages(pdf);
      if (!at.size || sameNumbers(at, shown)) break;
      shown = at;
      pdf = await print(numberContents(html, at));
    }
    writeReport(path, pdf);
    await context.close();
  } finally {
    await browser.close();
  }
}
