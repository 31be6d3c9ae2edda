/**
 * Layout as a reader sees it: the report rendered in real Chromium, and its PDF turned into
 * pages with poppler (pdftoppm, pdftotext). Each check returns what it found wrong, in words,
 * so a failing test says which card or cell runs over and by how much.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** The boxes a reader sees as one card or cell: its content must stay inside it. */
export const CARDS = '.kpi, article.probe, dl.call, blockquote, figure, td, th, .cover, .fix, li.rec';

/**
 * Everything that runs past the page or its card: the document wider than the viewport, a
 * card whose content is wider than the card, and any element whose box sticks out of the
 * card it sits in. A scroll container would hide an overflow from the reader, so none may
 * scroll sideways either.
 */
export async function overflows(page: Page, cards = CARDS): Promise<string[]> {
  return page.evaluate((selector) => {
    const out: string[] = [];
    const name = (el: Element) => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} “${text}”`;
    };
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`the page is ${doc.scrollWidth - doc.clientWidth} px wider than the window`);
    for (const el of document.querySelectorAll('body *')) {
      const st = getComputedStyle(el);
      if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)} scrolls sideways by ${el.scrollWidth - el.clientWidth} px`);
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > doc.clientWidth + 1) out.push(`${name(el)} ends ${Math.round(r.right - doc.clientWidth)} px past the right edge`);
    }
    for (const card of document.querySelectorAll(selector)) {
      const box = card.getBoundingClientRect();
      if (box.width === 0) continue;
      if (card.scrollWidth > card.clientWidth + 1) out.push(`${name(card)}: content ${card.scrollWidth - card.clientWidth} px wider than the card`);
      for (const inner of card.querySelectorAll('*')) {
        const r = inner.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${name(inner)} sticks out of ${name(card)} by ${Math.round(Math.max(r.right - box.right, box.left - r.left))} px`);
      }
    }
    return [...new Set(out)];
  }, cards);
}

/** Words broken across lines inside a table cell: a cell one word wide wraps "answered" into "answere/d". */
export async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const cell of document.querySelectorAll('td, th')) {
      const range = document.createRange();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        for (const m of text.matchAll(/[\p{L}\p{N}%]+/gu)) {
          range.setStart(n, m.index!);
          range.setEnd(n, m.index! + m[0].length);
          if (range.getClientRects().length > 1) out.push(`“${m[0]}” is split across lines in “${(cell.textContent ?? '').trim().slice(0, 50)}”`);
        }
      }
    }
    return out;
  });
}

export interface PdfPage {
  width: number;
  height: number;
  /** RGB bytes, row by row. */
  rgb: Buffer;
}

/** The PDF's pages as pixels (pdftoppm, 72 dpi: one pixel per point) and its text (pdftotext, in reading order, white space collapsed), page by page. */
export function pdfPages(pdf: string): { pages: PdfPage[]; text: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'respond-audit-pdf-'));
  try {
    execFileSync('pdftoppm', ['-r', '72', pdf, join(dir, 'p')]);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ppm'))
      .sort((a, b) => Number(/(\d+)\.ppm$/.exec(a)![1]) - Number(/(\d+)\.ppm$/.exec(b)![1]));
    const pages = files.map((f) => readPpm(readFileSync(join(dir, f))));
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })
      .split('\f')
      .map((t) => t.replace(/\s+/g, ' ').trim());
    if (text.at(-1) === '') text.pop();
    return { pages, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readPpm(buf: Buffer): PdfPage {
  // "P6\n<w> <h>\n255\n" then RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const [all, w, h] = header;
  return { width: Number(w), height: Number(h), rgb: buf.subarray(all.length) };
}

/** Columns of a page (in points from the left or right edge) holding anything darker than near-white. */
export function inkInMargin(p: PdfPage, marginPt: number): { left: number; right: number } {
  let left = 0;
  let right = 0;
  for (let y = 0; y < p.height; y++)
    for (let x = 0; x < p.width; x++) {
      if (x >= marginPt && x < p.width - marginPt) continue;
      const i = (y * p.width + x) * 3;
      if (p.rgb[i]! < 235 || p.rgb[i + 1]! < 235 || p.rgb[i + 2]! < 235) {
        if (x < marginPt) left++;
        else right++;
      }
    }
  return { left, right };
}

export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Every word of the PDF with its box in points (pdftotext -bbox). */
export function pdfWords(pdf: string): PdfWord[] {
  const xml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  const out: PdfWord[] = [];
  let page = 0;
  for (const m of xml.matchAll(/<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0] === '<page ') page++;
    else out.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') });
  }
  return out;
}
