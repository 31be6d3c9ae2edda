/** What scoring needs from the config, in one plain object (tests build it by hand). */
import type { AuditConfig } from '../config/schema.js';
import { holidayDates, parseHours } from '../config/hours.js';
import type { BusinessCalendar } from './business-hours.js';

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
  /** Targets counted in the site's opening hours instead of the wall clock ("2 business hours"). */
  business?: { firstResponse: boolean; humanResponse: boolean };
}

export interface ScoreSettings {
  /** The moment the report describes: pending vs never answered is decided against it. */
  now: number;
  sla: Sla;
  weights: Weights;
  /** A campaign is configured, so replies are expected to know it. */
  campaign: string | null;
  /**
   * Opening hours by site and service line (calendarKey); absent when no site has `hours`, and
   * then nothing is counted in business hours. A line without hours of its own or its site's
   * counts as always open.
   */
  calendars?: ReadonlyMap<string, BusinessCalendar>;
}

export const calendarKey = (siteId: string, serviceLineId: string) => `${siteId}\u0000${serviceLineId}`;

/** The opening hours of each site × service line that has them (a line's own hours win, holidays add up). */
export function calendarsFromConfig(config: AuditConfig): Map<string, BusinessCalendar> | undefined {
  const out = new Map<string, BusinessCalendar>();
  for (const site of config.sites) {
    for (const line of site.serviceLines) {
      const text = line.hours ?? site.hours;
      if (text === undefined) continue;
      const hours = parseHours(text);
      // validate rejects bad hours before scoring; a bad one here would be a bug upstream.
      if ('error' in hours) throw new Error(`hours of ${site.id}/${line.id}: ${hours.error}`);
      out.set(calendarKey(site.id, line.id), {
        hours,
        zone: site.timezone ?? config.timezone,
        holidays: new Set([...holidayDates(site.holidays), ...holidayDates(line.holidays)]),
      });
    }
  }
  return out.size ? out : undefined;
}

export function settingsFromConfig(config: AuditConfig, now: number): ScoreSettings {
  return {
    now,
    sla: slaFromConfig(config.sla),
    weights: { ...DEFAULT_WEIGHTS, ...config.scoring.weights },
    campaign: config.campaign?.name ?? null,
    calendars: calendarsFromConfig(config),
  };
}

/** The targets; `business` only when one is in business hours (reports without them stay as they were). */
function slaFromConfig({ business, ...sla }: AuditConfig['sla']): Sla {
  return business.firstResponse || business.humanResponse ? { ...sla, business } : sla;
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
