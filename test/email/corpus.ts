/** The reply corpus (test/fixtures/replies/*.eml + expectations.json) and the context it is judged in. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmailContext } from '../../src/classify/email.js';

export const REPLIES_DIR = fileURLToPath(new URL('../fixtures/replies/', import.meta.url));

export interface Expectation {
  kind: 'auto-ack' | 'human' | 'bounce';
  passAlong: boolean;
  campaignAware: boolean;
  stopRequest?: boolean;
  note: string;
}

export const EXPECTATIONS = JSON.parse(readFileSync(REPLIES_DIR + 'expectations.json', 'utf8')) as Record<string, Expectation>;

export const CORPUS_FILES = readdirSync(REPLIES_DIR).filter((f) => f.endsWith('.eml')).sort();

/** The campaign and shopper the corpus replies answer (matches the corpus config below). */
export const CORPUS_CONTEXT: EmailContext = {
  campaign: { name: 'Spring Knee Check', keywords: ['free knee screening'] },
  shopperFirstName: 'Jordan',
  shopperPhones: ['+13125550101'],
  inquiryText: 'Hello, I saw the Spring Knee Check ad and would like an appointment for Orthopedics at North Clinic. You can call me at (312) 555-0101. Jordan Avery',
};
