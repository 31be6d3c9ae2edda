/** Human text for a plan: what would be sent where, and why anything is skipped. */
import type { Output } from '../cli/output.js';
import { localText } from '../local-time.js';
import type { Plan } from '../plan/plan.js';

export function printPlan(io: Output, plan: Plan, opts: { header: string }): void {
  const c = io.c;
  io.line(c.bold(opts.header));
  if (!plan.due.length) io.line('  nothing is due');
  for (const d of plan.due)
    io.line(`  ${d.entry.key.padEnd(34)} ${d.channel.padEnd(7)} ${d.target}  (${d.why}${d.estCost ? `, ≈ $${d.estCost.toFixed(2)}` : ''}${d.shopperPhone ? `, from ${d.shopperPhone}` : ''})`);
  if (plan.estCost > 0) io.line(`  estimated cost: $${plan.estCost.toFixed(2)}`);
  const skipped = plan.skipped.filter((s) => s.code !== 'filtered');
  if (skipped.length) {
    io.line();
    io.line(c.bold(`Skipped (${skipped.length})`));
    for (const s of skipped)
      io.line(`  ${s.entry.key.padEnd(34)} ${s.code.padEnd(15)} ${s.reason}${s.nextAt ? `; next possible ${localTime(s.nextAt, s.entry.timezone)}` : ''}`);
  }
}

export function planJson(plan: Plan) {
  return {
    at: new Date(plan.at).toISOString(),
    estimatedCost: plan.estCost,
    due: plan.due.map((d) => ({
      entry: d.entry.key,
      channel: d.channel,
      target: d.target,
      why: d.why,
      variant: d.variant,
      shopper: d.shopperName,
      shopperPhone: d.shopperPhone,
      estimatedCost: d.estCost,
    })),
    skipped: plan.skipped
      .filter((s) => s.code !== 'filtered')
      .map((s) => ({ entry: s.entry.key, code: s.code, reason: s.reason, nextAt: s.nextAt ? new Date(s.nextAt).toISOString() : null })),
  };
}

/** A moment in the site's own timezone, as its people read it: "Wed 25 Nov 08:00 CST". */
export function localTime(t: number, zone: string): string {
  return localText(t, zone, 'ccc d LLL HH:mm ZZZZ');
}
