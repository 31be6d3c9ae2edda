/**
 * `doctor`'s Twilio checks: the credentials work (fetch the account), every shopper number
 * is on the account, and its voice URL answers callbacks with a voicemail (<Record>), so a
 * callback from a site is captured. Contacts Twilio and the numbers' own voice URLs only.
 */
import twilio from 'twilio';
import type { LoadedConfig } from '../config/load.js';
import { checkTargetUrl } from '../config/targets.js';
import { adaptersOf, type Adapters } from '../adapters.js';
import { restStatus } from './client.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
  /** A dependency that could not be reached or refused us (exit 3). */
  unreachable?: boolean;
}

export async function twilioChecks(loaded: LoadedConfig, adapters?: Partial<Adapters>): Promise<Check[]> {
  const t = loaded.config.channels.twilio;
  const needs = loaded.entryPoints.some((e) => e.entryPoint.type === 'phone' || e.entryPoint.type === 'sms');
  if (!t)
    return needs
      ? [{ name: 'twilio', status: 'fail', detail: 'phone or sms entry points but no channels.twilio', fix: 'add channels.twilio with accountSid and authToken as ${ENV} references' }]
      : [];
  const { client } = await adaptersOf(adapters).twilioClient(t, { maxRetries: 2, timeoutMs: 15_000 });
  const checks: Check[] = [];
  try {
    const account = await client.api.v2010.accounts(t.accountSid).fetch();
    checks.push({
      name: 'twilio credentials',
      status: account.status === 'active' ? 'ok' : 'fail',
      detail: `account ${account.friendlyName ?? ''} is ${account.status}${account.type === 'Trial' ? ' (trial: calls play a notice and reach verified numbers only)' : ''}`.trim(),
      ...(account.status === 'active' ? {} : { fix: 'reactivate the account in the Twilio console', unreachable: true }),
    });
  } catch (e) {
    const status = restStatus(e);
    checks.push({
      name: 'twilio credentials',
      status: 'fail',
      detail: status === 401 || status === 404 ? 'Twilio rejected the Account SID / Auth Token' : `Twilio could not be reached: ${(e as Error).message}`,
      fix: status ? 'check the environment variables named in channels.twilio.accountSid and authToken' : 'check the network (or the sandbox URL)',
      unreachable: true,
    });
    return checks;
  }
  for (const number of loaded.config.shopper.phones) checks.push(await numberCheck(client, loaded, number, t.authToken, t.accountSid));
  if (loaded.entryPoints.some((e) => e.entryPoint.type === 'phone')) checks.push(await speechCheck(loaded, t.authToken, t.accountSid, t.apiBaseUrl));
  const record = t.record;
  checks.push({
    name: 'twilio recording',
    status: 'ok',
    detail: record
      ? 'test calls are recorded (make sure recording is lawful where the sites are: some places require every party to consent)'
      : 'test calls are not recorded: time to a person, hold time and the IVR message will not be measured',
  });
  return checks;
}

/**
 * Do test calls speak? The TwiML Bin of `phone.twimlBin` is fetched as Twilio fetches it
 * (signed, as Twilio's "programmatic testing of TwiML Bins" describes) with a sample step, and
 * must render respond-audit's call template: our words in a <Say>, then the <Gather>s.
 */
async function speechCheck(loaded: LoadedConfig, authToken: string, accountSid: string, apiBaseUrl: string | undefined): Promise<Check> {
  const name = 'twilio speaking calls';
  const bin = loaded.config.phone.twimlBin;
  const fix = 'create a TwiML Bin with respond-audit\'s call template and set phone.twimlBin to its URL (docs/phone.md)';
  if (!bin) return { name, status: 'warn', detail: 'phone.twimlBin is not set: test calls only listen (they never ask, so nobody\'s answer is heard)', fix };
  const sample = 'respond-audit doctor check';
  const query = new URLSearchParams({ Step: 'close', V: loaded.config.phone.voice, L: loaded.config.phone.language, S: sample, I: 'dtmf', W: '1', A: 'false', T: 'x', I2: 'dtmf', W2: '1', T2: 'x' });
  const url = `${bin}?${query}`;
  const params = { AccountSid: accountSid, CallSid: 'CA' + '0'.repeat(32), CallStatus: 'in-progress', Direction: 'outbound-api' };
  // The sandbox serves its account's Bins under its own origin; a real Bin is Twilio's own host.
  const target = apiBaseUrl ? `${apiBaseUrl.replace(/\/+$/, '')}/_handler${new URL(bin).pathname}?${query}` : url;
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const twiml = await res.text();
    if (!res.ok) return { name, status: 'fail', detail: `the TwiML Bin answered HTTP ${res.status}${res.status === 404 ? ' (no such Bin on this account)' : ''}`, fix };
    if (twiml.includes(`>${sample}</Say>`) && (twiml.match(/<Gather\b/g) ?? []).length === 2)
      return { name, status: 'ok', detail: 'the TwiML Bin holds the call template: calls say the inquiry when a person answers' };
    return { name, status: 'fail', detail: 'the TwiML Bin answers, but not with respond-audit\'s call template', fix };
  } catch (e) {
    return { name, status: 'fail', detail: `the TwiML Bin could not be fetched: ${(e as Error).message}`, fix };
  }
}

async function numberCheck(client: twilio.Twilio, loaded: LoadedConfig, number: string, authToken: string, accountSid: string): Promise<Check> {
  const name = `shopper number ${number}`;
  const found = (await client.incomingPhoneNumbers.list({ phoneNumber: number, limit: 5 }))[0];
  if (!found)
    return { name, status: 'fail', detail: 'is not a number on this Twilio account', fix: 'buy or port it in the Twilio console, or remove it from shopper.phones', unreachable: true };
  if (found.voiceApplicationSid)
    return { name, status: 'warn', detail: `voice goes to TwiML App ${found.voiceApplicationSid}; could not check that it takes a voicemail`, fix: 'make sure callbacks hear a greeting and can leave a message (<Record>)' };
  const url = found.voiceUrl;
  const fix = 'set the number\'s voice URL to TwiML that takes a message, e.g. a TwiML Bin: <Response><Say>Please leave a message.</Say><Record transcribe="true" maxLength="120"/></Response>';
  if (!url) return { name, status: 'fail', detail: 'has no voice URL: a site calling back hears an error and leaves nothing', fix };
  const bad = checkTargetUrl(url, loaded.config.safety.allowLocal);
  if (bad) return { name, status: 'warn', detail: `voice URL ${url} not checked: ${bad}`, fix };
  try {
    // Signed as Twilio signs webhooks, so a TwiML Bin or a validating server answers us.
    const params = { AccountSid: accountSid, CallSid: 'CA' + '0'.repeat(32), From: '+15005550006', To: number, CallStatus: 'ringing', Direction: 'inbound' };
    const method = (found.voiceMethod ?? 'POST').toUpperCase();
    const target = method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params)}` : url;
    const sig = twilio.getExpectedTwilioSignature(authToken, target, method === 'GET' ? {} : params);
    const res = await fetch(target, {
      method,
      headers: { 'x-twilio-signature': sig, ...(method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(method === 'GET' ? {} : { body: new URLSearchParams(params).toString() }),
      signal: AbortSignal.timeout(10_000),
    });
    const twiml = await res.text();
    if (!res.ok) return { name, status: 'fail', detail: `voice URL answered HTTP ${res.status}`, fix };
    if (/<Record\b/i.test(twiml)) return { name, status: 'ok', detail: `on the account; callbacks reach a voicemail (${/transcribe="true"/i.test(twiml) ? 'transcribed' : 'not transcribed: add transcribe="true" to classify voicemails'})` };
    if (/<Dial\b/i.test(twiml)) return { name, status: 'warn', detail: 'voice URL forwards callbacks (<Dial>) rather than taking a message; unanswered callbacks may be lost', fix };
    return { name, status: 'fail', detail: 'voice URL answers without taking a message (no <Record>)', fix };
  } catch (e) {
    return { name, status: 'fail', detail: `voice URL ${url} could not be fetched: ${(e as Error).message}`, fix };
  }
}
