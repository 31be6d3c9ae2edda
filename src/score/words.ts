/** Durations and shares in plain words, for findings a client reads. */

export function durationWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  const h = ms / 3_600_000;
  if (h < 36) return `${round1(h)} h`;
  const d = ms / 86_400_000;
  return `${round1(d)} day${round1(d) === '1' ? '' : 's'}`;
}

/** A service-level target in words: "2 h", or "2 h of opening hours" when counted in business hours. */
export function targetWords(ms: number, business: boolean | undefined): string {
  return business ? `${durationWords(ms)} of opening hours` : durationWords(ms);
}

/** A duration given in seconds (call figures). */
export function secondsWords(seconds: number): string {
  return durationWords(seconds * 1000);
}

export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

function round1(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}
