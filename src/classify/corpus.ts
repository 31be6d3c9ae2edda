/**
 * The labelled reply corpus the classifier is trained and measured on: the world corpus
 * (test/fixtures/replies-world/<system>/<case>.eml + labels.json) and the first corpus
 * (test/fixtures/replies/*.eml + expectations.json), each file mapped to the mail system that
 * produced it. Systems are the cross-validation groups: leave-one-system-out holds a whole
 * system's conventions out, as a system we have never seen would be.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusLabel {
  kind: 'auto-ack' | 'human' | 'bounce';
  passAlong: boolean;
  campaignAware: boolean;
  stopRequest?: boolean;
  note?: string;
}

export interface CorpusCase {
  system: string;
  file: string;
  path: string;
  label: CorpusLabel;
}

/** The first corpus's files by the system that sends such mail (its file names say which). */
const FIRST_CORPUS_SYSTEM: Array<[RegExp, string]> = [
  [/^(outlook-exchange|outlook-client-rule|exchange-ndr|outlook-multipart|human-outlook)/, 'outlook-desktop'],
  [/^(gmail-vacation|gmail-bounce)/, 'gmail-web'],
  [/^zendesk/, 'zendesk'],
  [/^freshdesk/, 'freshdesk'],
  [/^servicenow/, 'servicenow'],
  [/^salesforce/, 'salesforce'],
  [/^(dsn-postfix|delay-dsn)/, 'postfix'],
  [/^qmail/, 'qmail'],
  [/^hubspot/, 'hubspot-marketing'],
  [/^(wufoo|gravity-forms)/, 'form-builders'],
  [/^zoho/, 'zoho-desk'],
  [/^apple-mail/, 'apple-mail'],
  [/^(noreply-crm|ooo-with)/, 'crm-autoresponders'],
  [/^spanish/, 'spanish-clinic'],
  [/^human-/, 'people-first-corpus'],
];

export function firstCorpusSystem(file: string): string {
  return FIRST_CORPUS_SYSTEM.find(([re]) => re.test(file))?.[1] ?? 'people-first-corpus';
}

/** Every labelled case under the fixtures directory (`root` is test/fixtures). */
export function loadCorpus(root: string): CorpusCase[] {
  const out: CorpusCase[] = [];
  const first = join(root, 'replies');
  if (existsSync(join(first, 'expectations.json'))) {
    const labels = JSON.parse(readFileSync(join(first, 'expectations.json'), 'utf8')) as Record<string, CorpusLabel>;
    for (const [file, label] of Object.entries(labels)) out.push({ system: firstCorpusSystem(file), file: `replies/${file}`, path: join(first, file), label });
  }
  const world = join(root, 'replies-world');
  if (existsSync(world)) {
    for (const system of readdirSync(world).sort()) {
      const labelsPath = join(world, system, 'labels.json');
      if (!existsSync(labelsPath)) continue;
      const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as Record<string, CorpusLabel>;
      for (const [file, label] of Object.entries(labels))
        out.push({ system, file: `replies-world/${system}/${file}`, path: join(world, system, file), label });
    }
  }
  return out;
}
