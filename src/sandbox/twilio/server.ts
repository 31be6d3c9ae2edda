/**
 * A Twilio-compatible REST API on loopback: the subset of 2010-04-01 respond-audit uses
 * (Calls, Recordings + media, Transcriptions, Messages, IncomingPhoneNumbers, Account),
 * with Basic auth, form-encoded bodies, JSON errors and next_page_uri paging, simulating
 * phone lines from a scenario on an injected clock. Calls "happen" at once in real time:
 * their timestamps say how long they took in simulated time. Faults can be injected.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../clock.js';
import { renderTimeline } from '../../audio/render.js';
import { encodeWav } from '../../audio/wav.js';
import { converse, type Conversation } from './conversation.js';
import twilioSdk from 'twilio';
import { estimateSeconds, parseTwiml, renderBin, snakeKeys, espeakVoice } from './twiml.js';
import {
  API, accountJson, callEventJson, callJson, messageJson, numberJson, recordingJson, sid, transcriptionJson,
  type SimCall, type SimMessage, type SimNumber, type SimRecording,
} from './resources.js';
import { outboundTimeline, type InboundCallSpec, type LineScript, type SandboxTwilioScenario } from './scenario.js';

export type TwilioFault =
  | { kind: 'rate-limit'; times: number; retryAfter?: number; match?: string }
  | { kind: 'server-error'; times: number; status?: number; match?: string }
  /** The call is created, then the connection drops before the response. */
  | { kind: 'drop-create'; times: number }
  /** The call is created; the response comes after `delayMs` (past the client's timeout). */
  | { kind: 'slow-create'; times: number; delayMs: number }
  /** The request reaches Twilio's call log only after `delayMs` (queued upstream): a lookup right after a timeout misses it. */
  | { kind: 'late-create'; times: number; delayMs: number };

export interface SandboxTwilioOptions {
  clock: Clock;
  accountSid: string;
  authToken: string;
  scenario?: SandboxTwilioScenario;
  port?: number;
}

export interface SandboxTwilio {
  url: string;
  accountSid: string;
  scenario: SandboxTwilioScenario;
  counts: { requests: Record<string, number>; total: number; callsPlaced: number; messagesSent: number };
  /** Calls placed by the tool, with what it asked for (digits, recording, limits). */
  placedCalls(): SimCall[];
  sentMessages(): SimMessage[];
  inject(fault: TwilioFault): void;
  /** An organization calls a shopper number at `at` (simulated time); returns the Call SID. */
  scheduleCall(spec: InboundCallSpec & { from: string; to: string; at: number }): string;
  /** An organization texts a shopper number at `at`; returns the Message SID. */
  scheduleText(spec: { from: string; to: string; at: number; body: string }): string;
  /** Recordings still `processing` become `completed`. */
  completeRecordings(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export async function startSandboxTwilio(o: SandboxTwilioOptions): Promise<SandboxTwilio> {
  const { clock, accountSid, authToken } = o;
  const scenario: SandboxTwilioScenario = o.scenario ?? {};
  const created = clock.now();
  const calls: SimCall[] = [];
  const messages: SimMessage[] = [];
  const recordings: SimRecording[] = [];
  const faults: TwilioFault[] = [];
  const counts = { requests: {} as Record<string, number>, total: 0, callsPlaced: 0, messagesSent: 0 };
  const numbers: SimNumber[] = [];
  let baseUrl = '';

  const syncNumbers = () => {
    for (const n of scenario.numbers ?? [])
      if (!numbers.some((x) => x.phoneNumber === n.phoneNumber))
        numbers.push({
          sid: sid('PN', n.phoneNumber),
          phoneNumber: n.phoneNumber,
          voiceUrl: n.voiceUrl ?? (n.voicemail === false ? '' : `${baseUrl}/twiml/voicemail`),
          createdAt: created,
        });
  };

  const lineFor = (n: string): LineScript => scenario.lines?.[n] ?? scenario.defaultLine ?? { answer: 'no-answer' };
  const numberSid = (n: string) => numbers.find((x) => x.phoneNumber === n)?.sid ?? null;
  const ownsNumber = (n: string) => !scenario.numbers || numbers.some((x) => x.phoneNumber === n);

  // ── inbound (the organization calls or texts back) ─────────────────────────────
  function scheduleCall(spec: InboundCallSpec & { from: string; to: string; at: number }): string {
    const seconds = spec.seconds ?? 40;
    const c: SimCall = {
      sid: sid('CA', `${spec.from}>${spec.to}`),
      direction: 'inbound', from: spec.from, to: spec.to, createdAt: spec.at, startTime: spec.at,
      answerAt: seconds > 0 || spec.voicemail ? spec.at : null,
      endTime: spec.at + Math.max(seconds, spec.voicemail ? 20 : 0) * 1000,
      finalStatus: seconds > 0 || spec.voicemail ? 'completed' : 'no-answer',
      answeredBy: null, pendingPolls: 0, phoneNumberSid: numberSid(spec.to), digits: null, record: !!spec.voicemail,
      timeout: null, timeLimit: null, machineDetection: null, twiml: null, hungUpBy: 'line', events: [], said: [],
    };
    calls.push(c);
    if (spec.voicemail) {
      const text = spec.voicemail;
      // The shopper's voicemail greeting runs ~6 s before the message starts.
      // espeak-ng speaks about 14 characters a second.
      addRecording(c, spec.at + 6000, 'RecordVerb', [{ kind: 'speech', text }, { kind: 'silence', seconds: 1 }], text, 0, text.length / 14 + 1.5);
    }
    return c.sid;
  }

  function scheduleText(spec: { from: string; to: string; at: number; body: string }): string {
    const m: SimMessage = { sid: sid('SM', spec.to), direction: 'inbound', from: spec.from, to: spec.to, body: spec.body, createdAt: spec.at, sentAt: spec.at, fresh: false };
    messages.push(m);
    return m.sid;
  }

  function addRecording(
    c: SimCall, startTime: number, source: SimRecording['source'], parts: Parameters<typeof renderTimeline>[0],
    transcript: string | null, pendingFetches: number, seconds: number,
  ): SimRecording {
    let cached: Promise<Buffer> | undefined;
    const r: SimRecording = {
      sid: sid('RE', c.sid), callSid: c.sid, createdAt: startTime, startTime,
      seconds, pendingFetches, source, transcript,
      transcriptionSid: transcript ? sid('TR', c.sid) : null,
      media: () =>
        (cached ??= renderTimeline(parts, { seed: recordings.length + 1 }).then((a) => {
          // Cut where the call ended (the caller's time limit, or a hang-up on a machine).
          const limit = Math.round(r.seconds * a.sampleRate);
          return encodeWav({ sampleRate: a.sampleRate, samples: a.samples.subarray(0, Math.min(a.samples.length, limit)) });
        })),
    };
    recordings.push(r);
    return r;
  }

  // ── outbound calls ───────────────────────────────────────────────────────────
  async function createCall(p: URLSearchParams): Promise<SimCall> {
    const to = p.get('To');
    const from = p.get('From');
    if (!to) throw new HttpError(400, 21201, "No 'To' number is specified");
    if (!from) throw new HttpError(400, 21213, "No 'From' number is specified");
    const twiml = p.get('Twiml');
    if (!twiml && !p.get('Url') && !p.get('ApplicationSid')) throw new HttpError(400, 21205, 'Url parameter is required.');
    if (!ownsNumber(from)) throw new HttpError(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account.`);
    const digits = p.get('SendDigits') ?? /<Play[^>]*\bdigits="([^"]*)"/.exec(twiml ?? '')?.[1] ?? null;
    const record = p.get('Record') === 'true';
    const timeout = Number(p.get('Timeout') ?? 60);
    const timeLimit = Number(p.get('TimeLimit') ?? 14400);
    const amd = p.get('MachineDetection');
    const line = lineFor(to);
    const plan = outboundTimeline(line, digits ?? '', timeout, amd);
    const start = Math.floor(clock.now() / 1000) * 1000;
    const callSid = sid('CA', `${from}>${to}`);
    let natural = 0;
    let audio: Awaited<ReturnType<typeof renderTimeline>> | undefined;
    // A caller whose TwiML listens for speech talks with the person who answers (not with a
    // voicemail box: the tool decides what to do there once detection says "machine").
    let convo: Conversation | undefined;
    let parts = plan.parts;
    if (twiml && /<Gather\b[^>]*\binput="[^"]*speech/.test(twiml) && plan.ringSeconds !== null && parts.length && !plan.machine) {
      convo = converse({
        plan, line, twiml, bins: scenario.twimlBins ?? {}, campaign: scenario.campaign, timeLimit,
        callParams: { AccountSid: accountSid, CallSid: callSid, From: from, To: to, Direction: 'outbound-api', CallStatus: 'in-progress', ApiVersion: '2010-04-01' },
      });
      parts = convo.parts;
    }
    if (plan.ringSeconds !== null && parts.length) {
      audio = await renderTimeline(parts, { seed: calls.length + 7 });
      natural = audio.samples.length / audio.sampleRate;
    }
    const answerAt = plan.ringSeconds !== null ? start + plan.ringSeconds * 1000 : null;
    // Twilio's timestamps and durations are whole seconds.
    const talk = Math.min(Math.ceil(natural), timeLimit);
    const endTime =
      answerAt !== null ? answerAt + talk * 1000 : start + (plan.status === 'no-answer' ? timeout : plan.status === 'busy' ? 3 : 1) * 1000;
    const createEvent = {
      at: start, method: 'POST', url: `https://api.twilio.com${API}/Accounts/${accountSid}/Calls.json`,
      parameters: snakeKeys(Object.fromEntries(p)), status: 201, contentType: 'application/json', body: JSON.stringify({ sid: callSid }),
    };
    const c: SimCall = {
      sid: callSid, direction: 'outbound-api', from, to, createdAt: start, startTime: start, answerAt, endTime,
      finalStatus: plan.status, answeredBy: plan.answeredBy, pendingPolls: line.pollsUntilFinal ?? 1,
      phoneNumberSid: numberSid(from), digits, record, timeout, timeLimit, machineDetection: amd, twiml,
      hungUpBy: answerAt === null ? null : natural > timeLimit ? 'caller-time-limit' : convo?.endedBy === 'caller' ? 'caller' : 'line',
      events: [createEvent], said: convo?.said ?? [],
    };
    // Requests past the caller's time limit never happened.
    for (const r of convo?.requests ?? [])
      if (answerAt !== null && r.offset <= talk)
        c.events.push({ at: answerAt + Math.round(r.offset * 1000), method: r.method, url: r.url, parameters: snakeKeys(r.params), status: r.status, contentType: r.status === 200 ? 'text/xml' : 'text/html', body: r.body });
    calls.push(c);
    counts.callsPlaced++;
    if (record && answerAt !== null && audio) addRecording(c, answerAt, 'OutboundAPI', parts, plan.promptText, line.recordingPendingFetches ?? 0, talk);
    if (line.callback) scheduleCall({ ...line.callback, from: line.callback.from ?? to, to: from, at: start + line.callback.after });
    return c;
  }

  function hangUp(c: SimCall, status: string): void {
    if (c.pendingPolls === 0 || c.direction !== 'outbound-api') return;
    c.pendingPolls = 0;
    if (c.answerAt === null) {
      c.finalStatus = 'canceled';
      c.endTime = c.startTime + 2000;
    } else {
      // The tool hangs up as soon as it sees a machine: a few seconds after answer.
      const at = c.answerAt + 5000;
      if (c.endTime! > at) c.endTime = at;
      c.finalStatus = status === 'canceled' ? 'canceled' : 'completed';
      const r = recordings.find((x) => x.callSid === c.sid);
      if (r) r.seconds = Math.min(r.seconds, 5);
    }
    c.hungUpBy = 'api';
  }

  /**
   * New TwiML for a live call (Call update with Twiml): what the tool does on a voicemail box
   * to leave its message. The box's greeting and beep play, then the TwiML's <Say>, then it ends.
   */
  function replaceTwiml(c: SimCall, twiml: string): void {
    if (c.pendingPolls === 0 || c.direction !== 'outbound-api' || c.answerAt === null) return;
    const verbs = parseTwiml(twiml);
    const plan = outboundTimeline(lineFor(c.to), c.digits ?? '', c.timeout ?? 60, c.machineDetection);
    const heard = plan.machine ? plan.parts.filter((x) => x.kind !== 'silence') : plan.parts.slice(0, 1);
    const parts: Parameters<typeof renderTimeline>[0] = [...heard];
    for (const v of verbs) {
      if (v.name === 'Say') {
        parts.push({ kind: 'speech', text: v.text, voice: espeakVoice(v.attrs.voice) });
        c.said.push(v.text);
      } else if (v.name === 'Pause') parts.push({ kind: 'silence', seconds: Number(v.attrs.length ?? 1) });
      else if (v.name === 'Hangup') break;
    }
    parts.push({ kind: 'silence', seconds: 0.5 });
    const seconds = Math.ceil(parts.reduce((n, x) => n + estimateSeconds(x), 0)) + 2;
    c.pendingPolls = 0;
    c.endTime = c.answerAt + seconds * 1000;
    c.finalStatus = 'completed';
    c.hungUpBy = 'caller';
    const old = recordings.findIndex((x) => x.callSid === c.sid);
    if (old >= 0) {
      const [r] = recordings.splice(old, 1);
      addRecording(c, c.answerAt, 'OutboundAPI', parts, null, r!.pendingFetches, seconds);
    }
  }

  // ── visibility on the simulated clock ───────────────────────────────────────
  const callVisible = (c: SimCall) => c.direction === 'outbound-api' || c.startTime <= clock.now();
  const recordingVisible = (r: SimRecording) => {
    const c = calls.find((x) => x.sid === r.callSid)!;
    return callVisible(c) && c.pendingPolls === 0;
  };
  // Twilio: "You can access the Call Event resource 15 minutes after a call ends."
  const eventsVisible = (c: SimCall) => c.pendingPolls === 0 && c.endTime !== null && clock.now() >= c.endTime + 15 * 60_000;
  const messageVisible = (m: SimMessage) => m.direction === 'outbound-api' || m.sentAt <= clock.now();

  // ── HTTP ─────────────────────────────────────────────────────────────────────
  function takeFault(key: string, method: string): TwilioFault | undefined {
    const f = faults.find(
      (x) =>
        x.times > 0 &&
        (x.kind === 'drop-create' || x.kind === 'slow-create' || x.kind === 'late-create' ? key === 'POST /Calls' : !x.match || x.match === key || x.match === method),
    );
    if (f) f.times--;
    return f;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const body = await readBody(req);
    if (url.pathname === '/twiml/voicemail') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Please leave a message after the tone.</Say><Record maxLength="120" transcribe="true"/></Response>');
      return;
    }
    // The account's TwiML Bins, as https://handler.twilio.com/twiml/EH… serves them (sandbox
    // configs reach them through apiBaseUrl + /_handler): only requests signed with the
    // account's token are answered; the body is the Bin's template filled from the parameters.
    const bin = /^\/_handler(\/twiml\/EH[0-9a-f]{32})$/.exec(url.pathname);
    if (bin) {
      const original = `https://handler.twilio.com${bin[1]}${url.search}`;
      const template = scenario.twimlBins?.[`https://handler.twilio.com${bin[1]}`];
      const params = Object.fromEntries(new URLSearchParams(body));
      const signed = twilioSdk.validateRequest(authToken, String(req.headers['x-twilio-signature'] ?? ''), original, params);
      if (template === undefined) throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
      if (!signed) throw new HttpError(403, 20003, 'Authenticate');
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(renderBin(template, { ...Object.fromEntries(url.searchParams), ...params }));
      return;
    }
    const m = new RegExp(`^${API}/Accounts/([^/]+?)(?:\\.json|/(.*))$`).exec(url.pathname);
    if (!m) throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
    const key = `${req.method} /${(m[2] ?? 'Account').replace(/(CA|RE|SM|TR|PN)[0-9a-f]{32}/g, '{sid}').replace(/\.json$/, '')}`;
    counts.requests[key] = (counts.requests[key] ?? 0) + 1;
    counts.total++;
    const auth = req.headers.authorization ?? '';
    const expected = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    if (auth !== expected) throw new HttpError(401, 20003, 'Authenticate');
    if (m[1] !== accountSid) throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
    const fault = takeFault(key, req.method ?? 'GET');
    if (fault?.kind === 'rate-limit')
      throw new HttpError(429, 20429, 'Too Many Requests', { 'retry-after': String(fault.retryAfter ?? 1) });
    if (fault?.kind === 'server-error') throw new HttpError(fault.status ?? 503, 20500, 'Service Unavailable');
    const form = new URLSearchParams(body);
    const path = m[2] ?? '';
    const q = url.searchParams;
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const one = <T>(list: T[], pred: (x: T) => boolean): T => {
      const x = list.find(pred);
      if (!x) throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
      return x;
    };
    const route = ROUTES.find((x) => x.method === req.method && x.path.test(path));
    const match = route?.path.exec(path);
    if (!route || !match) throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
    return route.handle({ match, req, res, form, q, url, fault, send, one });
  }

  /** What one route handler sees of its request. */
  interface RouteCall {
    match: RegExpExecArray;
    req: IncomingMessage;
    res: ServerResponse;
    form: URLSearchParams;
    q: URLSearchParams;
    url: URL;
    fault: TwilioFault | undefined;
    send(status: number, json: unknown): void;
    one<T>(list: T[], pred: (x: T) => boolean): T;
  }

  /**
   * The REST resources the sandbox answers, as a table: method, path under the account, handler.
   * The first row whose method and path match handles the request; anything else is Twilio's 404.
   */
  const ROUTES: { method: 'GET' | 'POST'; path: RegExp; handle(x: RouteCall): void | Promise<void> }[] = [
    { method: 'GET', path: /^$/, handle: ({ send }) => send(200, accountJson(accountSid, created)) },
    {
      method: 'POST',
      path: /^Calls\.json$/,
      async handle({ form, fault, req, send }) {
        if (fault?.kind === 'late-create') await new Promise((ok) => setTimeout(ok, fault.delayMs));
        const c = await createCall(form);
        if (fault?.kind === 'drop-create') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'slow-create') await new Promise((ok) => setTimeout(ok, fault.delayMs));
        const j = callJson(c, accountSid, clock.now());
        send(201, { ...j, status: 'queued', start_time: null, end_time: null, duration: null, answered_by: null, price: null });
      },
    },
    {
      method: 'GET',
      path: /^Calls\.json$/,
      handle: ({ q, url, send }) =>
        send(200, page('calls', calls.filter((c) => callVisible(c) && callMatches(c, q)).sort((a, b) => b.startTime - a.startTime), (c) => callJson(c, accountSid, clock.now()), url)),
    },
    {
      method: 'POST',
      path: /^Calls\/(CA[0-9a-f]{32})\.json$/,
      handle({ match, form, one, send }) {
        const c = one(calls, (x) => x.sid === match[1] && callVisible(x));
        const status = form.get('Status');
        const newTwiml = form.get('Twiml');
        if (status === 'completed' || status === 'canceled') hangUp(c, status);
        else if (newTwiml) replaceTwiml(c, newTwiml);
        send(200, callJson(c, accountSid, clock.now()));
      },
    },
    {
      method: 'GET',
      path: /^Calls\/(CA[0-9a-f]{32})\.json$/,
      handle({ match, one, send }) {
        const c = one(calls, (x) => x.sid === match[1] && callVisible(x));
        const j = callJson(c, accountSid, clock.now());
        if (c.pendingPolls > 0) c.pendingPolls--;
        send(200, j);
      },
    },
    {
      method: 'GET',
      path: /^Calls\/(CA[0-9a-f]{32})\/Events\.json$/,
      handle({ match, url, one, send }) {
        const c = one(calls, (x) => x.sid === match[1] && callVisible(x));
        send(200, page('events', eventsVisible(c) ? c.events : [], callEventJson, url));
      },
    },
    {
      method: 'GET',
      path: /^Calls\/(CA[0-9a-f]{32})\/Recordings\.json$/,
      handle: ({ match, url, send }) =>
        send(200, page('recordings', fetchRecordings(recordings.filter((x) => x.callSid === match[1])), (x) => recordingJson(x, accountSid), url)),
    },
    {
      method: 'GET',
      path: /^Recordings\.json$/,
      handle({ q, url, send }) {
        const callSid = q.get('CallSid');
        send(200, page('recordings', fetchRecordings(recordings.filter((x) => !callSid || x.callSid === callSid)), (x) => recordingJson(x, accountSid), url));
      },
    },
    {
      method: 'GET',
      path: /^Recordings\/(RE[0-9a-f]{32})(\.json|\.wav|\.mp3|)$/,
      async handle({ match, url, res, one, send }) {
        const rec = one(recordings, (x) => x.sid === match[1] && recordingVisible(x));
        if (match[2] === '.json') {
          const j = recordingJson(rec, accountSid);
          if (rec.pendingFetches > 0) rec.pendingFetches--;
          return send(200, j);
        }
        if (rec.pendingFetches > 0 || match[2] === '.mp3') throw new HttpError(404, 20404, `The requested resource ${url.pathname} was not found`);
        const wav = await rec.media();
        res.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': String(wav.length) });
        res.end(wav);
      },
    },
    {
      method: 'GET',
      path: /^Recordings\/(RE[0-9a-f]{32})\/Transcriptions\.json$/,
      handle({ match, url, one, send }) {
        const rec = one(recordings, (x) => x.sid === match[1] && recordingVisible(x));
        send(200, page('transcriptions', rec.transcript && rec.pendingFetches === 0 ? [rec] : [], (x) => transcriptionJson(x, accountSid), url));
      },
    },
    {
      method: 'GET',
      path: /^Transcriptions\.json$/,
      handle: ({ url, send }) =>
        send(200, page('transcriptions', recordings.filter((x) => x.transcript && recordingVisible(x) && x.pendingFetches === 0), (x) => transcriptionJson(x, accountSid), url)),
    },
    { method: 'POST', path: /^Messages\.json$/, handle: ({ form, send }) => send(201, messageJson(createMessage(form), accountSid)) },
    {
      method: 'GET',
      path: /^Messages\.json$/,
      handle: ({ q, url, send }) =>
        send(200, page('messages', messages.filter((x) => messageVisible(x) && messageMatches(x, q)).sort((a, b) => b.sentAt - a.sentAt), (x) => messageJson(x, accountSid), url)),
    },
    {
      method: 'GET',
      path: /^Messages\/((?:SM|MM)[0-9a-f]{32})\.json$/,
      handle: ({ match, one, send }) => send(200, messageJson(one(messages, (x) => x.sid === match[1] && messageVisible(x)), accountSid)),
    },
    {
      method: 'GET',
      path: /^IncomingPhoneNumbers\.json$/,
      handle({ q, url, send }) {
        syncNumbers();
        const want = q.get('PhoneNumber');
        send(200, page('incoming_phone_numbers', numbers.filter((n) => !want || n.phoneNumber === want), (n) => numberJson(n, accountSid), url));
      },
    },
  ];

  function fetchRecordings(list: SimRecording[]): SimRecording[] {
    const visible = list.filter(recordingVisible);
    const snapshot = visible.map((x) => ({ ...x }));
    for (const x of visible) if (x.pendingFetches > 0) x.pendingFetches--;
    return snapshot;
  }

  function createMessage(p: URLSearchParams): SimMessage {
    const to = p.get('To');
    const from = p.get('From');
    const body = p.get('Body') ?? '';
    if (!to) throw new HttpError(400, 21604, "A 'To' phone number is required.");
    if (!from) throw new HttpError(400, 21603, "A 'From' phone number is required.");
    if (!body) throw new HttpError(400, 21602, 'Message body is required.');
    if (!ownsNumber(from)) throw new HttpError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    const now = clock.now();
    const m: SimMessage = { sid: sid('SM', to), direction: 'outbound-api', from, to, body, createdAt: now, sentAt: now, fresh: true };
    messages.push(m);
    counts.messagesSent++;
    const line = scenario.lines?.[to];
    if (line?.textReply) scheduleText({ from: line.textReply.from ?? to, to: from, at: now + line.textReply.after, body: line.textReply.body });
    if (line?.callback) scheduleCall({ ...line.callback, from: line.callback.from ?? to, to: from, at: now + line.callback.after });
    const shown = { ...m };
    m.fresh = false;
    return shown;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent || req.socket.destroyed) return;
      const err = e instanceof HttpError ? e : new HttpError(500, 20500, 'Internal Server Error');
      res.writeHead(err.status, { 'content-type': 'application/json', ...err.headers });
      res.end(JSON.stringify({ code: err.code, message: err.message, more_info: `https://www.twilio.com/docs/errors/${err.code}`, status: err.status }));
    });
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  syncNumbers();

  return {
    url: baseUrl,
    accountSid,
    scenario,
    counts,
    placedCalls: () => calls.filter((c) => c.direction === 'outbound-api'),
    sentMessages: () => messages.filter((m) => m.direction === 'outbound-api'),
    inject: (f) => void faults.push({ ...f }),
    scheduleCall,
    scheduleText,
    completeRecordings: () => recordings.forEach((r) => (r.pendingFetches = 0)),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      s += d;
      if (s.length > 1_000_000) req.destroy();
    });
    req.on('end', () => ok(s));
    req.on('error', fail);
  });
}

/** Twilio date filters: `StartTime>=2024-01-02` (a day) or a full ISO instant, as the SDK sends. */
function timeFilter(q: URLSearchParams, name: string, t: number): boolean {
  for (const [k, v] of q) {
    if (!k.startsWith(name)) continue;
    const op = k.slice(name.length);
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
    const at = Date.parse(dayOnly ? `${v}T00:00:00Z` : v);
    if (!Number.isFinite(at)) continue;
    const dayEnd = dayOnly ? at + 86_400_000 : at;
    if (op === '' && !(dayOnly ? t >= at && t < dayEnd : t === at)) return false;
    if ((op === '>' || op === '>=') && t < at) return false;
    if ((op === '<' || op === '<=') && t >= dayEnd + (op === '<=' && !dayOnly ? 1 : 0)) return false;
  }
  return true;
}

function callMatches(c: SimCall, q: URLSearchParams): boolean {
  if (q.get('To') && q.get('To') !== c.to) return false;
  if (q.get('From') && q.get('From') !== c.from) return false;
  const status = q.get('Status');
  if (status && (c.pendingPolls > 0 ? (c.answerAt ? 'in-progress' : 'ringing') : c.finalStatus) !== status) return false;
  return timeFilter(q, 'StartTime', c.startTime);
}

function messageMatches(m: SimMessage, q: URLSearchParams): boolean {
  if (q.get('To') && q.get('To') !== m.to) return false;
  if (q.get('From') && q.get('From') !== m.from) return false;
  return timeFilter(q, 'DateSent', m.sentAt);
}

function page<T>(key: string, all: T[], json: (x: T) => unknown, url: URL): Record<string, unknown> {
  const size = Math.min(1000, Math.max(1, Number(url.searchParams.get('PageSize') ?? 50) || 50));
  const n = Math.max(0, Number(url.searchParams.get('Page') ?? 0) || 0);
  const items = all.slice(n * size, (n + 1) * size);
  const at = (p: number) => {
    const u = new URLSearchParams(url.searchParams);
    u.set('PageSize', String(size));
    u.set('Page', String(p));
    if (p > 0) u.set('PageToken', `PA${p * size}`);
    else u.delete('PageToken');
    return `${url.pathname}?${u.toString()}`;
  };
  return {
    [key]: items.map(json),
    end: n * size + Math.max(0, items.length - 1),
    first_page_uri: at(0),
    next_page_uri: (n + 1) * size < all.length ? at(n + 1) : null,
    page: n,
    page_size: size,
    previous_page_uri: n > 0 ? at(n - 1) : null,
    start: n * size,
    uri: `${url.pathname}${url.search}`,
  };
}

