/** Map a value path inside a parsed YAML document to a file position. */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export type PathSeg = string | number;

export function formatPath(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/**
 * Position of the node at `path` (of its key when `key` is true). When the path goes past
 * what the document holds (a missing key), the deepest existing node is used.
 */
export function positionOf(
  doc: Document,
  lc: LineCounter,
  path: readonly PathSeg[],
  key = false,
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let at: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && key) {
        at = pair.key;
        break;
      }
      node = pair.value;
      at = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      at = item;
    } else break;
  }
  const range = (at as Node | null)?.range ?? (doc.contents as Node | null)?.range;
  const offset = range ? range[0] : 0;
  return lc.linePos(offset);
}
