/** Durations as users write them: `90s`, `15m`, `2h`, `5d`, `1w`, `1h30m`, `500ms`. */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$';
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!new RegExp(DURATION_PATTERN).test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}

/** Human text for a duration in ms: `42s`, `6 min`, `3.5 h`, `2.1 d`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)}s`;
  const m = s / 60;
  if (m < 90) return `${Math.round(m)} min`;
  const h = m / 60;
  if (h < 48) return `${round1(h)} h`;
  return `${round1(h / 24)} d`;
}

function round1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** A service-level target: wall-clock (`2h`) or counted in opening hours (`2 business hours`). */
export interface SlaTarget {
  ms: number;
  business: boolean;
}

const BUSINESS_WORDS = /^(\d+(?:\.\d+)?)\s*business\s+(hours?|minutes?|mins?)$/i;
const BUSINESS_SUFFIX = /^(\S+)\s+business$/i;

/** `2h`, `2 business hours`, `90 business minutes` or `1h30m business`; undefined otherwise. */
export function parseSlaTarget(text: string): SlaTarget | undefined {
  const t = text.trim();
  const words = BUSINESS_WORDS.exec(t);
  if (words) return { ms: Math.round(Number(words[1]) * (/^h/i.test(words[2]!) ? UNIT_MS.h! : UNIT_MS.m!)), business: true };
  const suffix = BUSINESS_SUFFIX.exec(t);
  if (suffix) {
    const ms = parseDuration(suffix[1]!);
    return ms === undefined ? undefined : { ms, business: true };
  }
  const ms = parseDuration(t);
  return ms === undefined ? undefined : { ms, business: false };
}
