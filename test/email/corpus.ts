/**
 * The labelled reply corpora: test/fixtures/replies/ (the first corpus, expectations.json) and
 * test/fixtures/replies-world/<system>/ (labels.json per system), as src/classify/corpus.ts
 * reads them for training; and the context every corpus reply answers.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus, type CorpusLabel } from '../../src/classify/corpus.js';
export { CORPUS_CONTEXT } from '../../src/classify/training.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const REPLIES_DIR = FIXTURES_DIR + 'replies/';
export const WORLD_DIR = FIXTURES_DIR + 'replies-world/';

export type Expectation = CorpusLabel & { note: string };

/** The first corpus (the IMAP collector test replays it). */
export const EXPECTATIONS = JSON.parse(readFileSync(REPLIES_DIR + 'expectations.json', 'utf8')) as Record<string, Expectation>;
export const CORPUS_FILES = readdirSync(REPLIES_DIR).filter((f) => f.endsWith('.eml')).sort();

/** Every labelled case of both corpora, each with its system (the cross-validation group). */
export const CORPUS = loadCorpus(FIXTURES_DIR);
