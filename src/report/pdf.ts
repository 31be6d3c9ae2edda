/** The PDF format: the HTML report printed by Chromium (the browser the web-form probes use). */
import type { LoadedConfig } from '../config/load.js';
import { adaptersOf, type Adapters } from '../adapters.js';

export async function printPdf(html: string, path: string, loaded: LoadedConfig, env: Record<string, string | undefined>, adapters?: Partial<Adapters>): Promise<void> {
  const browser = await adaptersOf(adapters).launchBrowser(loaded, env);
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    // Belt and braces beside the CSP: nothing leaves the page while it is printed.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path, format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
    await context.close();
  } finally {
    await browser.close();
  }
}
