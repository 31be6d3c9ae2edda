/**
 * The Twilio collector: inbound calls (callbacks, voicemails) and texts to the shopper
 * numbers since its cursor, paged through next_page_uri by the SDK, attributed by the number
 * called and caller ID; plus the results of our own calls whose recordings were still
 * processing. Event times are Twilio's (call start_time, message date_sent).
 */
import { attributeInbound } from '../attribute/phone.js';
import { classifyReplyText } from '../classify/text.js';
import { DependencyError } from '../errors.js';
import type { Attribution, EventKind, ProbeRow } from '../store/types.js';
import { callsAwaitingResult, humanContacts, probesWithShopperPhone } from '../store/twilio-queries.js';
import { saveWav, settleCall } from '../twilio/call-result.js';
import { adaptersOf } from '../adapters.js';
import type { TwilioHandle } from '../twilio/client.js';
import { emptyStats, type CollectDeps, type CollectStats, type Collector, type CollectorFactory } from './types.js';

const DAY = 86_400_000;
/** Re-read this much before the cursor: a call listed late is still found; duplicates are ignored. */
const OVERLAP = 2 * 3_600_000;
const CURSOR = 'twilio:inbound';

interface Cursor {
  calls: number;
  messages: number;
}

export const createTwilioCollector: CollectorFactory = async (deps) => {
  const t = deps.loaded.config.channels.twilio;
  if (!t) throw new DependencyError('collecting calls and texts needs channels.twilio in the config', 'ENOTWILIO', 'twilio');
  const handle = await adaptersOf(deps.adapters).twilioClient(t, deps.debug ? { debug: deps.debug } : {});
  return { name: 'twilio', collectOnce: () => collectOnce(deps, handle), close: async () => {} } satisfies Collector;
};

interface Inbound {
  kind: 'call' | 'sms';
  sid: string;
  from: string;
  to: string;
  at: number;
  status: string;
  duration: number | null;
  body: string | null;
}

async function collectOnce(deps: CollectDeps, handle: TwilioHandle): Promise<CollectStats> {
  const { store, loaded, clock } = deps;
  const stats = emptyStats('twilio');
  const now = clock.now();
  const numbers = loaded.config.shopper.phones;
  const probes = probesWithShopperPhone(store, now - loaded.config.sla.waitWindow - 30 * DAY);
  const start = probes.length ? Math.min(...probes.map((p) => p.submittedAt!)) : now - 7 * DAY;
  const cursor = store.getCursor<Cursor>(CURSOR) ?? { calls: start, messages: start };

  try {
    await finishOwnCalls(deps, handle, stats);
    const items: Inbound[] = [];
    let callsUpTo = cursor.calls;
    let messagesUpTo = cursor.messages;
    for (const to of numbers) {
      const calls = await handle.client.calls.list({ to, startTimeAfter: new Date(cursor.calls - OVERLAP), pageSize: 100 });
      for (const c of calls) {
        stats.fetched++;
        if (c.direction !== 'inbound') continue;
        const at = (c.startTime ?? c.dateCreated).getTime();
        // A call still ringing or in progress is read again next time.
        if (!['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(c.status)) {
          stats.pending++;
          callsUpTo = Math.min(callsUpTo, at);
          continue;
        }
        items.push({ kind: 'call', sid: c.sid, from: c.from, to: c.to, at, status: c.status, duration: c.duration ? Number(c.duration) : null, body: null });
        callsUpTo = Math.max(callsUpTo, at);
      }
      const messages = await handle.client.messages.list({ to, dateSentAfter: new Date(cursor.messages - OVERLAP), pageSize: 100 });
      for (const m of messages) {
        stats.fetched++;
        if (m.direction !== 'inbound') continue;
        const at = (m.dateSent ?? m.dateCreated).getTime();
        items.push({ kind: 'sms', sid: m.sid, from: m.from, to: m.to, at, status: m.status, duration: null, body: m.body ?? '' });
        messagesUpTo = Math.max(messagesUpTo, at);
      }
    }
    items.sort((a, b) => a.at - b.at || a.sid.localeCompare(b.sid));
    for (const item of items) {
      if (store.hasObservation(item.kind === 'call' ? 'twilio-call' : 'twilio-sms', item.sid)) continue;
      await storeInbound(deps, handle, probes, item, stats);
    }
    await refreshVoicemails(deps, handle, stats);
    store.tx(() => store.setCursor(CURSOR, { calls: Math.min(callsUpTo, now), messages: Math.min(messagesUpTo, now) } satisfies Cursor));
  } catch (e) {
    if (e instanceof DependencyError) throw e;
    const status = (e as { status?: number }).status;
    if (status === 401 || status === 403) throw new DependencyError(`Twilio rejected the credentials (${(e as Error).message})`, 'ETWILIOAUTH', 'twilio');
    throw new DependencyError(`Twilio could not be read: ${(e as Error).message}`, 'ETWILIO', 'twilio');
  }
  return stats;
}

/** Calls we placed whose result is missing (a crash, a deadline) or waits for its recording. */
async function finishOwnCalls(deps: CollectDeps, handle: TwilioHandle, stats: CollectStats): Promise<void> {
  const { store, loaded, clock } = deps;
  for (const { probe } of callsAwaitingResult(store, clock.now() - 30 * DAY)) {
    const entry = loaded.entryPoints.find((e) => e.key === probe.entryKey);
    if (!entry) {
      stats.notes.push(`${probe.entryKey}: no longer in the config; call ${probe.externalId} not settled`);
      continue;
    }
    const s = await settleCall({ handle, store, loaded, probe, entry, callSid: probe.externalId!, artifactsDir: `${loaded.reportsDir}/artifacts` });
    if (!s.details.final || s.details.recordingPending || s.details.answerPending) stats.pending++;
    else stats.events++;
    // The recording saved now (it was still processing at submit) is the report's evidence too.
    if (s.details.final && (probe.outcome !== s.outcome || s.evidence))
      store.updateProbe(probe.id, { outcome: s.outcome, details: { ...probe.details, ...s.details }, ...(s.evidence ? { evidence: { ...probe.evidence, ...s.evidence } } : {}) });
  }
}

async function storeInbound(deps: CollectDeps, handle: TwilioHandle, probes: ProbeRow[], item: Inbound, stats: CollectStats): Promise<void> {
  const { store, loaded } = deps;
  const who = attributeInbound(loaded, probes, item);
  let voicemail = false;
  let transcript: string | null = null;
  let transcriptPending = false;
  let recording: string | null = null;
  if (item.kind === 'call') {
    const recs = await handle.client.recordings.list({ callSid: item.sid, limit: 5 });
    voicemail = recs.length > 0;
    const done = recs.find((r) => r.status === 'completed');
    if (done) transcript = (await handle.client.recordings(done.sid).transcriptions.list({ limit: 5 })).find((t) => t.status === 'completed')?.transcriptionText ?? null;
    transcriptPending = voicemail && !transcript;
    if (done && who.probe) recording = await saveVoicemail(deps, handle, who.probe.token, item.sid, done.mediaUrl, stats);
  }
  const text = item.kind === 'sms' ? item.body : transcript;
  const entryNumbers = loaded.entryPoints.flatMap((e) => (e.entryPoint.type === 'phone' || e.entryPoint.type === 'sms' ? [e.entryPoint.number] : []));
  const verdict = text
    ? classifyReplyText(text, { campaign: loaded.config.campaign, knownNumbers: entryNumbers, shopperPhones: loaded.config.shopper.phones, plain: true })
    : null;
  const probe = who.probe;
  const kind: EventKind = who.attribution === 'none' ? 'unattributed' : item.kind === 'call' ? 'callback' : 'sms-reply';
  const followUp = probe ? isFollowUp(deps, probe, item.at) : false;
  const details = {
    channel: item.kind,
    from: item.from,
    to: item.to,
    status: item.status,
    ...(item.kind === 'call' ? { voicemail, durationSeconds: item.duration, transcript, transcriptPending, ...(recording ? { recording } : {}) } : { body: item.body }),
    siteId: who.siteId,
    candidates: who.candidates,
    ...(verdict ? { phoneNumbers: verdict.phoneNumbers } : {}),
  };
  const reasons = [...who.reasons, ...(verdict?.reasons ?? [])];
  store.tx(() => {
    const obs = store.addObservation({
      source: item.kind === 'call' ? 'twilio-call' : 'twilio-sms',
      sourceId: item.sid,
      occurredAt: item.at,
      timeSource: 'twilio',
      sender: item.from,
      recipient: item.to,
      excerpt: text ? text.slice(0, 500) : null,
      data: { direction: 'inbound', status: item.status, duration: item.duration, voicemail },
    });
    if (!obs.isNew) return;
    stats.added++;
    const event = (k: EventKind, attribution: Attribution) =>
      store.upsertEvent({
        observationId: obs.id,
        probeId: probe?.id ?? null,
        kind: k,
        attribution,
        occurredAt: item.at,
        passAlong: verdict?.passAlong ?? false,
        campaignAware: verdict?.campaignAware ?? false,
        followUp,
        reasons,
        details,
      });
    event(kind, who.attribution);
    stats.events++;
    if (verdict?.stopRequest) {
      event('stop-request', who.attribution);
      stats.events++;
      // Suppress only a site we can name (caller ID or the attributed probe).
      const site = probe?.siteId ?? who.siteId;
      if (site) store.suppress(`site:${site}`, `asked to stop (${item.kind} from ${item.from})`, obs.id);
    }
    if (probe) stats.attributed++;
    else stats.unattributed++;
    if (transcriptPending) stats.pending++;
  });
}

/**
 * A voicemail's recording kept as the probe's evidence (reports/artifacts/<token>/voicemail-<call>.wav),
 * for the report to attach. Evidence only: a failed download is a note, not a failed collect.
 */
async function saveVoicemail(deps: CollectDeps, handle: TwilioHandle, token: string, callSid: string, mediaUrl: string, stats: CollectStats): Promise<string | null> {
  try {
    const wav = await handle.fetchMedia(`${mediaUrl}.wav`);
    return wav ? saveWav(`${deps.loaded.reportsDir}/artifacts`, token, wav, `voicemail-${callSid}.wav`) : null;
  } catch (e) {
    stats.notes.push(`voicemail ${callSid}: the recording could not be downloaded (${(e as Error).message})`);
    return null;
  }
}

/** A human contact at least followUpAfter after the probe's first one, within followUpWindow of submission. */
function isFollowUp(deps: CollectDeps, probe: ProbeRow, at: number): boolean {
  const { sla } = deps.loaded.config;
  const first = humanContacts(deps.store, probe.id).filter((e) => e.occurredAt < at)[0];
  return !!first && at - first.occurredAt >= sla.followUpAfter && at - (probe.submittedAt ?? at) <= sla.followUpWindow;
}

/** Voicemails whose transcription was not ready: fetch it and update the callback event. */
async function refreshVoicemails(deps: CollectDeps, handle: TwilioHandle, stats: CollectStats): Promise<void> {
  const { store, loaded } = deps;
  for (const e of store.listEvents({ kind: 'callback', since: deps.clock.now() - 30 * DAY })) {
    if (!e.details?.transcriptPending) continue;
    const obs = store.getObservation(e.observationId);
    if (!obs) continue;
    const recs = await handle.client.recordings.list({ callSid: obs.sourceId, limit: 5 });
    const done = recs.find((r) => r.status === 'completed');
    const text = done ? ((await handle.client.recordings(done.sid).transcriptions.list({ limit: 5 }))[0]?.transcriptionText ?? null) : null;
    if (!text) {
      stats.pending++;
      continue;
    }
    const v = classifyReplyText(text, { campaign: loaded.config.campaign, shopperPhones: loaded.config.shopper.phones, plain: true });
    store.tx(() =>
      store.upsertEvent({
        ...e,
        passAlong: v.passAlong,
        campaignAware: v.campaignAware,
        reasons: [...e.reasons, ...v.reasons],
        details: { ...e.details, transcript: text, transcriptPending: false },
      }),
    );
    stats.events++;
  }
}
