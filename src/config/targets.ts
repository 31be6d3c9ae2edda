/**
 * What the tool may contact. Checked when the config is loaded and again just before a
 * probe is sent, so a target can never slip past the rules.
 */
import { isIP } from 'node:net';

export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::' || h === '::1') return true;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (isIP(h) === 6) return h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80') || h.startsWith('::ffff:127.');
  return false;
}

/** Returns an error message, or undefined when the URL is an acceptable target. */
export function checkTargetUrl(raw: string, allowLocal: boolean, schemes = ['http:', 'https:']): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `must be an ${schemes.map((s) => s.slice(0, -1)).join('/')} URL`;
  }
  if (!schemes.includes(url.protocol)) return `must be an http(s) URL (${url.protocol.slice(0, -1)}: is not allowed)`;
  if (url.username || url.password) return 'must not carry credentials; use ${ENV} references in channels';
  if (!allowLocal && isLocalHost(url.hostname))
    return `points at a loopback or private address (${url.hostname}); set safety.allowLocal: true for sandboxes and tests`;
  return undefined;
}

export const EMAIL_RE = /^[^\s@<>()",;:]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$|^[^\s@<>()",;:]+@localhost$/;

/** Is `target` (email, number or URL) on the do-not-contact list? Returns the matching rule. */
export function doNotContactMatch(target: string, rules: readonly string[]): string | undefined {
  const t = target.trim().toLowerCase();
  for (const raw of rules) {
    const r = raw.trim().toLowerCase();
    if (!r) continue;
    if (r === t) return raw;
    if (r.startsWith('@') && t.endsWith(r)) return raw;
    if (/^[a-z0-9.-]+\.[a-z]{2,}$/.test(r) && (t.endsWith('@' + r) || hostOf(t) === r || hostOf(t)?.endsWith('.' + r)))
      return raw;
    if ((r.startsWith('http://') || r.startsWith('https://')) && t.startsWith(r)) return raw;
    if (r.startsWith('+') && t.replace(/[^\d+]/g, '') === r.replace(/[^\d+]/g, '')) return raw;
  }
  return undefined;
}

function hostOf(t: string): string | undefined {
  try {
    return new URL(t).hostname;
  } catch {
    return undefined;
  }
}
