/**
 * The sms channel: the inquiry as a text to a "text us" number, from the probe's shopper
 * number. Replies come back through the message log (the Twilio collector).
 */
import { DependencyError } from '../errors.js';
import { adaptersOf } from '../adapters.js';
import { restStatus, type TwilioHandle } from '../twilio/client.js';
import { mayHaveReachedTwilio } from './phone.js';
import { refusalBeforeContact } from './twilio-guard.js';
import type { ProbeJob, SubmitHooks, SubmitResult, Submitter, SubmitterDeps, SubmitterFactory } from './types.js';

export const createSmsSubmitter: SubmitterFactory = async (deps) => {
  const t = deps.loaded.config.channels.twilio;
  if (!t) throw new DependencyError('sms probes need channels.twilio in the config', 'ENOTWILIO', 'twilio');
  const handle = await adaptersOf(deps.adapters).twilioClient(t, deps.debug ? { debug: deps.debug } : {});
  return { channel: 'sms', submit: (job, hooks) => sendText(deps, handle, job, hooks), close: async () => {} } satisfies Submitter;
};

async function sendText(deps: SubmitterDeps, handle: TwilioHandle, job: ProbeJob, hooks: SubmitHooks): Promise<SubmitResult> {
  const ep = job.target.entryPoint;
  if (ep.type !== 'sms') return { status: 'not-sent', outcome: 'skipped', error: 'not an sms entry point' };
  const refusal = refusalBeforeContact(deps.loaded, deps.store, job, deps.clock.now());
  if (refusal) return { status: 'not-sent', outcome: 'skipped', error: refusal };
  const from = job.shopper.phone;
  if (!from) return { status: 'not-sent', outcome: 'skipped', error: 'no shopper number to text from (shopper.phones)' };
  const body = job.message.sms;
  hooks.progress(`texting ${ep.number}`);
  const before = deps.clock.now();
  let sid: string;
  let sentAt: number;
  try {
    const m = await handle.client.messages.create({ to: ep.number, from, body });
    sid = m.sid;
    sentAt = m.dateCreated?.getTime() ?? before;
  } catch (e) {
    const message = (e as Error).message;
    if (restStatus(e) === 429) return { status: 'not-sent', outcome: 'rate-limited', error: message };
    if (!mayHaveReachedTwilio(e)) return { status: 'not-sent', outcome: restStatus(e) ? 'failed' : 'unreachable', error: `Twilio refused the text: ${message}` };
    // Never send twice: look for it; if it is not there, say we do not know rather than resend.
    try {
      const list = await handle.client.messages.list({ to: ep.number, from, limit: 20 });
      const m = list.find((x) => x.body === body && (x.dateCreated?.getTime() ?? 0) >= before - 120_000 && !deps.store?.probeByExternalId(x.sid));
      if (!m) return { status: 'unknown', outcome: 'unknown', error: `the text may not have been sent (${message}); not retried to avoid a duplicate` };
      sid = m.sid;
      sentAt = m.dateCreated?.getTime() ?? before;
    } catch {
      return { status: 'unknown', outcome: 'unreachable', error: `the text may have been sent (${message}); Twilio could not be asked` };
    }
  }
  hooks.confirmed({ submittedAt: sentAt, externalId: sid });
  return { status: 'submitted', outcome: 'submitted', submittedAt: sentAt, externalId: sid, details: { messageSid: sid, body } };
}
