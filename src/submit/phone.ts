/**
 * The phone channel: one test call per probe through the real Twilio SDK. From the probe's
 * shopper number to the entry point, DTMF for the IVR path, recorded only where the config
 * says so, answering-machine detection, ring timeout, and a time limit at the caller's
 * patience. The call SID is committed the moment Twilio accepts the call, so a crash
 * afterwards can never lead to a second call. Without webhooks: poll to a final status,
 * then fetch the recording (and transcription) and store the 'call' event.
 */
import { DependencyError } from '../errors.js';
import { callPlanFor, FINAL_CALL, settleCall, twimlFor, type CallFacts } from '../twilio/call-result.js';
import { adaptersOf } from '../adapters.js';
import type { SpeechMode } from '../twilio/answer.js';
import { restStatus, type TwilioClientOptions, type TwilioHandle } from '../twilio/client.js';
import { speakingTwiml, speechSetup, TWIML_MAX, voicemailTwiml, type SpeechScript } from '../twilio/speech.js';
import { refusalBeforeContact } from './twilio-guard.js';
import type { ProbeJob, SubmitHooks, SubmitResult, Submitter, SubmitterDeps, SubmitterFactory } from './types.js';

/** With client options (request timeout, retry waits) handed in; tests shorten the timeout. */
export const createPhoneSubmitterWith = (clientOptions: TwilioClientOptions): SubmitterFactory => async (deps) => {
  const t = deps.loaded.config.channels.twilio;
  if (!t) throw new DependencyError('phone probes need channels.twilio in the config', 'ENOTWILIO', 'twilio');
  const handle = await adaptersOf(deps.adapters).twilioClient(t, deps.debug ? { ...clientOptions, debug: deps.debug } : clientOptions);
  return {
    channel: 'phone',
    submit: (job, hooks) => placeCall(deps, handle, job, hooks),
    close: async () => {},
  } satisfies Submitter;
};

export const createPhoneSubmitter: SubmitterFactory = createPhoneSubmitterWith({});

/** Did this failure possibly leave a call placed? (Then look before trying again.) */
export function mayHaveReachedTwilio(e: unknown): boolean {
  const status = restStatus(e);
  if (status !== undefined) return status >= 500;
  const code = (e as { code?: string }).code;
  return !(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ESANDBOX');
}

async function placeCall(deps: SubmitterDeps, handle: TwilioHandle, job: ProbeJob, hooks: SubmitHooks): Promise<SubmitResult> {
  const { loaded, clock } = deps;
  const ep = job.target.entryPoint;
  if (ep.type !== 'phone') return { status: 'not-sent', outcome: 'skipped', error: 'not a phone entry point' };
  const refusal = refusalBeforeContact(loaded, deps.store, job, clock.now());
  if (refusal) return { status: 'not-sent', outcome: 'skipped', error: refusal };
  const from = job.shopper.phone;
  if (!from) return { status: 'not-sent', outcome: 'skipped', error: 'no shopper number to call from (shopper.phones)' };

  const t = loaded.config.channels.twilio!;
  const plan = callPlanFor(loaded, job.target);
  const hasIvr = plan.digits.replace(/[wW]/g, '').length > 0;
  // A call speaks when the TwiML Bin is set up; otherwise it listens, as before, and says why.
  const setup = speechSetup(loaded, job.message.call ?? job.message.sms, job.shopper);
  let twiml = twimlFor(plan);
  let speech: SpeechMode;
  let script: SpeechScript | undefined;
  if (setup.ok) {
    const spoken = speakingTwiml(plan, setup.bin, setup.script);
    if (spoken.length <= TWIML_MAX) {
      twiml = spoken;
      script = setup.script;
      speech = { mode: 'speaks' };
    } else speech = { mode: 'listens', why: `the spoken inquiry makes the call's TwiML longer than Twilio's ${TWIML_MAX} characters; shorten the inquiry's call text` };
  } else speech = { mode: 'listens', why: setup.why };
  const leaveMessage = !!script && !hasIvr && loaded.config.phone.voicemail === 'leave';
  const params = {
    to: ep.number,
    from,
    twiml,
    record: t.record,
    // To leave a message, wait for the greeting's end (the beep); a menu is never a mailbox.
    machineDetection: leaveMessage ? 'DetectMessageEnd' : 'Enable',
    timeout: plan.ringTimeout,
    timeLimit: plan.timeLimit,
  };
  hooks.progress(`calling ${ep.number}`);
  const created = await createOnce(deps, handle, params, job);
  if ('result' in created) return created.result;
  const call = created.call;
  const submittedAt = call.startTime?.getTime() ?? call.dateCreated.getTime() ?? clock.now();
  hooks.confirmed({ submittedAt, externalId: call.sid, details: { callSid: call.sid, timeLimit: plan.timeLimit, speech } });

  const voicemail = leaveMessage ? voicemailTwiml(script!) : undefined;
  const finished = await pollToFinal(deps, handle, call.sid, hasIvr, voicemail, hooks);
  if (finished?.voicemailLeft) speech = { ...speech, voicemailLeft: true };
  if (!finished || !deps.store) {
    return {
      status: 'submitted',
      outcome: 'in-progress',
      submittedAt,
      externalId: call.sid,
      details: { callSid: call.sid, final: false, speech },
      ...(deps.store ? {} : { error: 'no store to record the call result in' }),
    };
  }
  hooks.progress(`call ${finished.status}; fetching the recording`);
  const settled = await settleCall({
    handle, store: deps.store, loaded, probe: job.probe, entry: job.target, callSid: call.sid, call: finished, artifactsDir: deps.artifactsDir, speech,
  });
  return {
    status: 'submitted',
    outcome: settled.outcome,
    submittedAt,
    externalId: call.sid,
    details: settled.details,
    ...(settled.evidence ? { evidence: settled.evidence } : {}),
  };
}

type CreateParams = { to: string; from: string; twiml: string; record: boolean; machineDetection: string; timeout: number; timeLimit: number };

/**
 * Creates the call at most once. A create that failed in a way that may have reached Twilio
 * (timeout, dropped connection, 5xx) is looked up by To/From/StartTime before any retry.
 */
async function createOnce(
  deps: SubmitterDeps, handle: TwilioHandle, params: CreateParams, job: ProbeJob,
): Promise<{ call: CallFacts } | { result: SubmitResult }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = deps.clock.now();
    try {
      return { call: await handle.client.calls.create(params) };
    } catch (e) {
      const status = restStatus(e);
      const message = (e as Error).message;
      if (status === 429) return { result: { status: 'not-sent', outcome: 'rate-limited', error: `Twilio kept answering 429 Too Many Requests: ${message}` } };
      if (!mayHaveReachedTwilio(e))
        return { result: { status: 'not-sent', outcome: status ? 'failed' : 'unreachable', error: `Twilio refused the call: ${message}` } };
      deps.log(`${job.target.key}: call create failed (${message}); looking it up before trying again`);
      let found: CallFacts | undefined;
      try {
        found = await findPlacedCall(deps, handle, params, before);
        // No answer at all (a timeout, a dropped connection): the create may still be on its way
        // to Twilio or in its queue, and a lookup can overtake it. Look again after a grace
        // period before anything is sent a second time; a 5xx was Twilio's final word.
        if (!found && !status) {
          await sleep(IN_FLIGHT_GRACE_MS, deps.signal);
          found = await findPlacedCall(deps, handle, params, before);
        }
      } catch (lookupError) {
        return {
          result: {
            status: 'unknown', outcome: 'unreachable',
            error: `the call may have been placed (create failed: ${message}) and Twilio could not be asked (${(lookupError as Error).message})`,
          },
        };
      }
      if (found) return { call: found };
      await sleep(Math.min(8000, 1000 * 2 ** (attempt - 1)), deps.signal);
    }
  }
  return { result: { status: 'not-sent', outcome: 'failed', error: 'Twilio did not accept the call after 3 attempts (none was placed)' } };
}

/** How long a create that got no answer may still take to reach Twilio's call log. */
const IN_FLIGHT_GRACE_MS = 3000;

async function findPlacedCall(deps: SubmitterDeps, handle: TwilioHandle, p: CreateParams, before: number): Promise<CallFacts | undefined> {
  const since = before - 120_000;
  const claimed = (sid: string) => !!deps.store?.probeByExternalId(sid);
  const pick = (list: Array<CallFacts & { direction?: string }>) =>
    list.find(
      (c) => (c.direction ?? 'outbound-api').startsWith('outbound') && c.dateCreated.getTime() >= since && !claimed(c.sid),
    );
  const byStart = await handle.client.calls.list({ to: p.to, from: p.from, startTimeAfter: new Date(since), limit: 20 });
  // A call still queued has no start time yet, so look once more without that filter.
  return pick(byStart) ?? pick(await handle.client.calls.list({ to: p.to, from: p.from, limit: 20 }));
}

async function pollToFinal(
  deps: SubmitterDeps, handle: TwilioHandle, sid: string, hasIvr: boolean, voicemail: string | undefined, hooks: SubmitHooks,
): Promise<(CallFacts & { voicemailLeft?: boolean }) | undefined> {
  const t = deps.loaded.config.channels.twilio!;
  // Real time allowed for the whole call: ring + time limit + a margin; then the collector takes over.
  const deadline = Date.now() + t.ringTimeout + (deps.loaded.config.sla.holdPatience + 180_000);
  let hungUp = false;
  while (!deps.signal.aborted) {
    const c = await handle.client.calls(sid).fetch();
    if (FINAL_CALL.has(c.status)) return hungUp && voicemail ? Object.assign(c, { voicemailLeft: true }) : c;
    hooks.progress(`call ${c.status}${c.answeredBy ? ` (${c.answeredBy})` : ''}`);
    // A voicemail box on a line without a menu: leave the inquiry (phone.voicemail: leave) by
    // replacing the call's TwiML, or hang up rather than leave a silent message.
    if (!hungUp && !hasIvr && c.status === 'in-progress' && c.answeredBy?.startsWith('machine')) {
      await handle.client.calls(sid).update(voicemail ? { twiml: voicemail } : { status: 'completed' });
      hungUp = true;
      continue;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(t.pollInterval, deps.signal);
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((ok) => {
    if (signal.aborted) return ok();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      ok();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export { sleep as abortableSleep };
