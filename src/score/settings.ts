/** What scoring needs from the config, in one plain object (tests build it by hand). */
import type { AuditConfig } from '../config/schema.js';

export const PARTS = ['responded', 'speed', 'human', 'ownership', 'followUp', 'campaign', 'phone'] as const;
export type Part = (typeof PARTS)[number];
export type Weights = Record<Part, number>;
export type Parts = Record<Part, number | null>;

/** The documented defaults (config.scoring.weights); they add up to 100. */
export const DEFAULT_WEIGHTS: Weights = { responded: 25, speed: 20, human: 15, ownership: 15, followUp: 10, campaign: 5, phone: 10 };

export interface Sla {
  firstResponse: number;
  humanResponse: number;
  callback: number;
  followUpAfter: number;
  followUpWindow: number;
  phoneAnswer: number;
  holdPatience: number;
  waitWindow: number;
}

export interface ScoreSettings {
  /** The moment the report describes: pending vs never answered is decided against it. */
  now: number;
  sla: Sla;
  weights: Weights;
  /** A campaign is configured, so replies are expected to know it. */
  campaign: string | null;
}

export function settingsFromConfig(config: AuditConfig, now: number): ScoreSettings {
  return {
    now,
    sla: { ...config.sla },
    weights: { ...DEFAULT_WEIGHTS, ...config.scoring.weights },
    campaign: config.campaign?.name ?? null,
  };
}

/** Weighted mean of the parts that apply, on 0–100; null when none applies. */
export function gradeOf(parts: Parts, weights: Weights): number | null {
  let sum = 0;
  let w = 0;
  for (const p of PARTS) {
    const v = parts[p];
    if (v === null || !(weights[p] > 0)) continue;
    sum += weights[p] * v;
    w += weights[p];
  }
  return w > 0 ? Math.round((100 * sum) / w) : null;
}

/** Mean of the values that are not null; null when all are. (No rest array: called per probe.) */
export function meanOf(a: number | null, b: number | null, c: number | null = null): number | null {
  let s = 0;
  let n = 0;
  if (a !== null) {
    s += a;
    n++;
  }
  if (b !== null) {
    s += b;
    n++;
  }
  if (c !== null) {
    s += c;
    n++;
  }
  return n ? s / n : null;
}
