/**
 * Reads a YAML file defensively (size, UTF-8, aliases, duplicate keys, depth, forbidden
 * keys) and keeps what is needed to report positions.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { formatPath, positionOf, type PathSeg } from './positions.js';
import { FORBIDDEN_KEYS, MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_DEPTH, firstInvalidUtf8, lineColAt } from './yaml-safety.js';

export interface YamlFile {
  file: string;
  text: string;
  doc: Document;
  lc: LineCounter;
  data: unknown;
  issue(path: readonly PathSeg[], message: string, opts?: { key?: boolean; severity?: 'error' | 'warning' }): ConfigIssue;
}

/** Returns the parsed file, or the issues that stop it from being read at all. */
export function readYamlFile(file: string, shownAs = file): YamlFile | { issues: ConfigIssue[] } {
  const at = (line: number, col: number, message: string): { issues: ConfigIssue[] } => ({
    issues: [{ file: shownAs, line, col, path: '', message, severity: 'error' }],
  });
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return at(1, 1, `cannot read ${shownAs}: no such file`);
  }
  if (size > MAX_CONFIG_BYTES)
    return at(1, 1, `file is ${(size / 1048576).toFixed(1)} MB; a config may be at most ${MAX_CONFIG_BYTES / 1048576} MB`);
  const buf = readFileSync(file);
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const prefix = buf.subarray(0, bad).toString('utf8');
    const p = lineColAt(prefix, prefix.length);
    return at(p.line, p.col, `file is not valid UTF-8 (byte 0x${buf[bad]!.toString(16)} at offset ${bad})`);
  }
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  const lc = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    return at(1, 1, `YAML could not be parsed: ${(e as Error).message.split('\n')[0]}`);
  }
  const issues: ConfigIssue[] = [];
  for (const err of doc.errors) {
    const p = err.linePos?.[0] ?? lc.linePos(err.pos?.[0] ?? 0);
    const msg = err.code === 'DUPLICATE_KEY' ? 'duplicate key (each key may appear once)' : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    issues.push({ file: shownAs, line: p.line, col: p.col, path: '', message: msg, severity: 'error' });
  }
  if (issues.length) return { issues };
  const structural = checkStructure(doc, lc, shownAs);
  if (structural.length) return { issues: structural };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const m = (e as Error).message;
    const msg = /alias/i.test(m) ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb` : `YAML could not be read: ${m}`;
    return at(1, 1, msg);
  }
  const file_: YamlFile = {
    file: shownAs,
    text,
    doc,
    lc,
    data,
    issue(path, message, opts = {}) {
      const p = positionOf(doc, lc, path, opts.key ?? false);
      return { file: shownAs, line: p.line, col: p.col, path: formatPath(path), message, severity: opts.severity ?? 'error' };
    },
  };
  return file_;
}

/** Depth and forbidden keys, checked on the syntax tree before anything is built from it. */
function checkStructure(doc: Document, lc: LineCounter, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stack: Array<{ node: unknown; depth: number; path: PathSeg[] }> = [{ node: doc.contents, depth: 0, path: [] }];
  while (stack.length && issues.length < 20) {
    const { node, depth, path } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      const p = lc.linePos((node as { range?: number[] }).range?.[0] ?? 0);
      issues.push({ file, line: p.line, col: p.col, path: formatPath(path), message: `nested more than ${MAX_DEPTH} levels deep`, severity: 'error' });
      break;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isScalar(pair.key) ? String(pair.key.value) : '';
        if (FORBIDDEN_KEYS.has(k)) {
          const p = lc.linePos((pair.key as { range?: number[] }).range?.[0] ?? 0);
          issues.push({ file, line: p.line, col: p.col, path: formatPath([...path, k]), message: `key "${k}" is not allowed`, severity: 'error' });
          continue;
        }
        stack.push({ node: pair.value, depth: depth + 1, path: [...path, k] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, path: [...path, i] }));
    }
  }
  return issues;
}
