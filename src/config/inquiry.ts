/** Inquiry templates (`probes/*.yaml`): what the shopper says, with variants and placeholders. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { readYamlFile } from './yaml-file.js';
import { zodIssue } from './zod-issues.js';

export const inquirySchema = z
  .strictObject({
    $schema: z.string().optional(),
    subject: z.string().min(1).describe('Email subject (placeholders allowed).'),
    variants: z
      .array(z.string().min(1))
      .min(1)
      .describe('Message texts; rotated so an organization does not get the same text twice in a row.'),
    sms: z.array(z.string().min(1)).default([]).describe('Short texts for sms entry points (default: the first sentence of a variant).'),
    call: z
      .array(z.string().min(1))
      .default([])
      .describe('What the shopper says when a person answers a test call (placeholders allowed); default: the sms text.'),
    askCallback: z.boolean().default(true).describe('Give the shopper\'s phone number and ask for a call back.'),
    preferredDate: z.string().default('in 7 days').describe('What a date field gets: "in N days" from submission.'),
  })
  .describe('An inquiry template');

export type Inquiry = z.output<typeof inquirySchema> & { name: string; file: string };

export const PLACEHOLDERS = [
  'shopper.name',
  'shopper.firstName',
  'shopper.lastName',
  'shopper.email',
  'shopper.phone',
  'site.name',
  'serviceLine.name',
  'campaign.name',
  'organization',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_RE = /\{([A-Za-z.]+)\}/g;

export function render(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(PLACEHOLDER_RE, (m, name: string) => values[name as Placeholder] ?? m);
}

export function loadInquiries(dir: string, cwd: string): { inquiries: Map<string, Inquiry>; issues: ConfigIssue[] } {
  const inquiries = new Map<string, Inquiry>();
  const issues: ConfigIssue[] = [];
  if (!existsSync(dir)) return { inquiries, issues };
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const full = join(dir, name);
    const shown = relative(cwd, full) || full;
    const f = readYamlFile(full, shown);
    if ('issues' in f) {
      issues.push(...f.issues);
      continue;
    }
    const r = inquirySchema.safeParse(f.data);
    if (!r.success) {
      for (const i of r.error.issues) issues.push(...zodIssue(i, f.issue, f.data, inquirySchema));
      continue;
    }
    const check = (text: string, path: (string | number)[]) => {
      for (const m of text.matchAll(PLACEHOLDER_RE))
        if (!PLACEHOLDERS.includes(m[1] as Placeholder))
          issues.push(f.issue(path, `unknown placeholder {${m[1]}}; use one of ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`));
    };
    check(r.data.subject, ['subject']);
    r.data.variants.forEach((v, i) => check(v, ['variants', i]));
    r.data.sms.forEach((v, i) => check(v, ['sms', i]));
    r.data.call.forEach((v, i) => check(v, ['call', i]));
    inquiries.set(name.replace(/\.ya?ml$/, ''), { ...r.data, name: name.replace(/\.ya?ml$/, ''), file: shown });
  }
  return { inquiries, issues };
}
