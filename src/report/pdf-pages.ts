/**
 * Page numbers for the PDF's contents. Chromium's print gives no page numbers to the page
 * itself, but the PDF it writes keeps every link target as a named destination (`/Dests` of
 * the catalog: `/summary [19 0 R /XYZ …]`) pointing at its page object; the page tree gives
 * that page's number. So the report is printed once, the contents' targets are looked up in
 * that PDF, and it is printed again with the numbers filled in (src/report/pdf.ts). Chromium
 * (Skia) writes its dictionaries uncompressed and without object streams; anything else
 * found here yields no numbers, and the contents are printed without them.
 */

/** Destination name → page number (1-based), from a PDF Chromium printed; empty when it cannot tell. */
export function destinationPages(pdf: Buffer): Map<string, number> {
  const out = new Map<string, number>();
  const text = pdf.toString('latin1');
  const object = (n: string): string | null => {
    const m = new RegExp(`(?:^|\\s)${n} 0 obj\\b([\\s\\S]*?)\\bendobj`).exec(text);
    return m ? m[1]! : null;
  };
  const catalog = /\/Type\s*\/Catalog\b[\s\S]*?endobj/.exec(text)?.[0];
  if (!catalog) return out;
  const root = /\/Pages\s+(\d+)\s+0\s+R/.exec(catalog)?.[1];
  if (!root) return out;
  // The page tree, in order: a node with /Kids is a /Pages node, anything else a page.
  const order = new Map<string, number>();
  const walk = (n: string, depth: number) => {
    if (depth > 32) return;
    const body = object(n);
    if (body === null) return;
    const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body);
    if (!kids || !/\/Type\s*\/Pages\b/.test(body)) {
      order.set(n, order.size + 1);
      return;
    }
    for (const k of kids[1]!.matchAll(/(\d+)\s+0\s+R/g)) walk(k[1]!, depth + 1);
  };
  walk(root, 0);
  const ref = /\/Dests\s+(\d+)\s+0\s+R/.exec(catalog)?.[1];
  const dests = ref ? object(ref) : (/\/Dests\s*(<<[\s\S]*?>>)/.exec(catalog)?.[1] ?? null);
  if (!dests) return out;
  for (const m of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = order.get(m[2]!);
    // PDF names write other bytes as #xx.
    if (page) out.set(m[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), page);
  }
  return out;
}

/** The report's HTML with the contents' page numbers filled in (entries without a known page stay blank). */
export function numberContents(html: string, pages: ReadonlyMap<string, number>): string {
  return html.replace(/<span class="pg" data-for="([^"]*)"><\/span>/g, (all, id: string) => {
    const n = pages.get(id);
    return n ? `<span class="pg" data-for="${id}">${n}</span>` : all;
  });
}
