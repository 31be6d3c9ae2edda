/**
 * The sandbox must not drift from the real API: every response it gives the tool is checked
 * against Twilio's own OpenAPI description of 2010-04-01 (shipped in @twilio-alpha/mcp).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxTwilio, type SandboxTwilio } from '../../src/sandbox/twilio/index.js';
import { AC, NORTH_LINE, SHOPPER, T0, TOKEN } from './harness.js';

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@twilio-alpha/mcp/twilio-oai/spec/json/twilio_api_v2010.json'), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
// Twilio's own formats. Their list pages return *relative* next_page_uri values although
// the description says `uri`, so `uri` accepts a reference, as the real API's answers need.
ajv.addFormat('date-time-rfc-2822', /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
ajv.addFormat('uri', (s: string) => /^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(s) || s === '');
for (const f of ['currency', 'uri-map', 'phone-number', 'http-method', 'phone-number-capabilities', 'uri-template']) ajv.addFormat(f, true);
// OpenAPI 3.0's `nullable` without a `type` (e.g. encryption_details) means "anything".
const untypedNullable = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(untypedNullable);
  if (!node || typeof node !== 'object') return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, untypedNullable(v)]));
  if ('nullable' in o && !('type' in o)) delete o.nullable;
  return o;
};
ajv.addSchema({ $id: 'twilio', components: untypedNullable(spec.components) });

function validatorFor(path: string, method: string, status: string) {
  const op = spec.paths[path]?.[method];
  const schema = op?.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no schema for ${method.toUpperCase()} ${path} ${status}`);
  // Local refs (#/components/...) resolve against the document holding the components.
  const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"twilio#/components/'));
  return ajv.compile(rebased);
}

let sb: SandboxTwilio;
const clock = fixedClock(T0);
const auth = 'Basic ' + Buffer.from(`${AC}:${TOKEN}`).toString('base64');
const api = `/2010-04-01/Accounts/${AC}`;

async function call(method: string, path: string, form?: Record<string, string>) {
  const res = await fetch(sb.url + path, {
    method,
    headers: { authorization: auth, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function expectValid(specPath: string, method: string, r: { status: number; json: unknown }) {
  const v = validatorFor(specPath, method, String(r.status));
  const ok = v(r.json);
  expect(ok, JSON.stringify(v.errors?.slice(0, 5))).toBe(true);
}

beforeAll(async () => {
  sb = await startSandboxTwilio({
    clock, accountSid: AC, authToken: TOKEN,
    scenario: {
      numbers: SHOPPER.map((phoneNumber) => ({ phoneNumber })),
      lines: { [NORTH_LINE]: { ivr: { prompt: 'Welcome to North Clinic. Press one.', digits: '1' }, holdSeconds: 3, textReply: { after: 1000, body: 'Hello' } } },
    },
  });
});
afterAll(() => sb.close());

describe('sandbox responses against Twilio\'s OpenAPI', () => {
  it('account, numbers', async () => {
    expectValid('/2010-04-01/Accounts/{Sid}.json', 'get', await call('GET', `${api}.json`));
    expectValid('/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json', 'get', await call('GET', `${api}/IncomingPhoneNumbers.json`));
  });

  it('calls: create, fetch, update, list with paging; recordings; transcriptions', async () => {
    const created = await call('POST', `${api}/Calls.json`, { To: NORTH_LINE, From: SHOPPER[0]!, Twiml: '<Response><Play digits="ww1"/><Pause length="60"/></Response>', Record: 'true', MachineDetection: 'Enable' });
    expect(created.status).toBe(201);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls.json', 'post', created);
    const sidPath = `${api}/Calls/${created.json.sid}.json`;
    const fetched = await call('GET', sidPath);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', 'get', fetched);
    // The check has teeth: a status Twilio never sends, or a malformed SID, fails it.
    const v = validatorFor('/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', 'get', '200');
    expect(v({ ...fetched.json, status: 'answered' })).toBe(false);
    expect(v({ ...fetched.json, sid: 'CA123' })).toBe(false);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', 'get', await call('GET', sidPath));
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', 'post', await call('POST', sidPath, { Status: 'completed' }));
    await call('POST', `${api}/Calls.json`, { To: NORTH_LINE, From: SHOPPER[1]!, Twiml: '<Response/>' });
    const list = await call('GET', `${api}/Calls.json?PageSize=1&StartTime%3E=2027-03-10`);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls.json', 'get', list);
    expect(list.json.next_page_uri).toMatch(/Page=1/);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls.json', 'get', await call('GET', list.json.next_page_uri as string));
    const recs = await call('GET', `${api}/Recordings.json?CallSid=${created.json.sid}`);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Recordings.json', 'get', recs);
    const rec = (recs.json.recordings as Array<{ sid: string }>)[0]!;
    expectValid('/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json', 'get', await call('GET', `${api}/Recordings/${rec.sid}.json`));
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings.json', 'get', await call('GET', `${api}/Calls/${created.json.sid}/Recordings.json`));
    expectValid('/2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}/Transcriptions.json', 'get', await call('GET', `${api}/Recordings/${rec.sid}/Transcriptions.json`));
    expectValid('/2010-04-01/Accounts/{AccountSid}/Transcriptions.json', 'get', await call('GET', `${api}/Transcriptions.json`));
  });

  it('a call that speaks: its Events (15 minutes after it ended), an update with Twiml', async () => {
    const bin = 'https://handler.twilio.com/twiml/EH' + 'a'.repeat(32);
    const ask = `${bin}?Step=ask&amp;Say=Hello&amp;Input=speech&amp;Listen=5&amp;Always=true&amp;Then=${encodeURIComponent(bin)}`;
    const created = await call('POST', `${api}/Calls.json`, { To: NORTH_LINE, From: SHOPPER[0]!, Twiml: `<Response><Play digits="1"/><Gather input="speech" timeout="60" action="${ask}"/><Pause length="60"/></Response>` });
    const eventsPath = `${api}/Calls/${created.json.sid}/Events.json`;
    await call('GET', `${api}/Calls/${created.json.sid}.json`);
    const early = await call('GET', eventsPath);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Events.json', 'get', early);
    expect(early.json.events).toEqual([]);
    clock.advance(20 * 60_000);
    const later = await call('GET', eventsPath);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Events.json', 'get', later);
    const events = later.json.events as Array<{ request: { url: string; parameters: Record<string, string> }; response: { response_code: number } }>;
    expect(events[0]!.request.url).toMatch(/\/Calls\.json$/);
    // The Bin is not in this account: Twilio's request to it fails (an application error).
    expect(events[1]).toMatchObject({ request: { parameters: { step: 'ask', call_sid: created.json.sid } }, response: { response_code: 404 } });
    const live = await call('POST', `${api}/Calls.json`, { To: NORTH_LINE, From: SHOPPER[1]!, Twiml: '<Response><Pause length="60"/></Response>' });
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json', 'post', await call('POST', `${api}/Calls/${live.json.sid}.json`, { Twiml: '<Response><Say>Hi</Say><Hangup/></Response>' }));
  });

  it('messages: create and list; inbound callbacks in the call log', async () => {
    const m = await call('POST', `${api}/Messages.json`, { To: NORTH_LINE, From: SHOPPER[0]!, Body: 'Hi there' });
    expect(m.status).toBe(201);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Messages.json', 'post', m);
    sb.scheduleCall({ from: NORTH_LINE, to: SHOPPER[0]!, at: T0 - 1000, voicemail: 'Call us back please.' });
    clock.advance(5000);
    expectValid('/2010-04-01/Accounts/{AccountSid}/Messages.json', 'get', await call('GET', `${api}/Messages.json?To=${encodeURIComponent(SHOPPER[0]!)}`));
    expectValid('/2010-04-01/Accounts/{AccountSid}/Calls.json', 'get', await call('GET', `${api}/Calls.json?To=${encodeURIComponent(SHOPPER[0]!)}`));
  });

  it('errors are Twilio-shaped JSON', async () => {
    const bad = await fetch(`${sb.url}${api}/Calls.json`, { headers: { authorization: 'Basic ' + Buffer.from(`${AC}:wrong`).toString('base64') } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 20003, status: 401, message: expect.any(String), more_info: expect.stringContaining('twilio.com') });
    const noFrom = await call('POST', `${api}/Calls.json`, { To: NORTH_LINE, From: '+19999999999', Twiml: '<Response/>' });
    expect(noFrom).toMatchObject({ status: 400, json: { code: 21210 } });
  });
});
