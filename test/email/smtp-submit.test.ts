/**
 * Email probes against a real smtp-server (the sandbox intake): what is sent, and that a
 * refusal or timeout is `not-sent` with the reason while a failure after the data is `unknown`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEmailSubmitter } from '../../src/submit/email.js';
import { jobFor, recordingHooks, startMailIntake, startSilentServer, submitterDeps, type MailIntake } from '../helpers/smtp.js';
import { emailSetup } from './setup.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function intake(o: Parameters<typeof startMailIntake>[0]): Promise<MailIntake> {
  const i = await startMailIntake(o);
  closers.push(() => i.close());
  return i;
}

function setupFor(port: number, auth?: { user: string; pass: string }, extra = '') {
  const s = emailSetup({ smtp: { port, ...auth }, extra });
  closers.push(async () => s.store.close());
  return s;
}

const FAST = { connectionTimeoutMs: 1500, socketTimeoutMs: 1500 };

describe('email submitter (smtp-server)', () => {
  it('sends from and reply-to the token address with a recorded Message-ID', async () => {
    const s0 = emailSetup({});
    const i = await intake({ clock: s0.clock, users: { jordan: 'app-pass-1234' } });
    s0.store.close();
    const s = setupFor(i.port, { user: 'jordan', pass: 'app-pass-1234' });
    const sub = await makeEmailSubmitter(submitterDeps(s.loaded, s.clock, s.env), FAST);
    const job = jobFor(s.store, s.loaded, 'north/ortho/email', 'tok7abc2xyz');
    const hooks = recordingHooks();
    const r = await sub.submit(job, hooks);
    expect(r).toMatchObject({ status: 'submitted', outcome: 'submitted', submittedAt: s.clock.now() });
    expect(r.messageId).toMatch(/^<tok7abc2xyz\.[0-9a-f]+@example\.net>$/);
    expect(hooks.confirmedWith).toEqual([{ submittedAt: s.clock.now(), messageId: r.messageId }]);
    expect(i.received).toHaveLength(1);
    const m = i.received[0]!;
    expect(m.to).toEqual(['ortho@north.example.org']);
    expect(m.envelopeFrom).toBe('jordan+tok7abc2xyz@example.net');
    expect(m.replyTo).toBe('jordan+tok7abc2xyz@example.net');
    expect(m.messageId).toBe(r.messageId);
    expect(m.subject).toBe('Question about Orthopedics');
    expect(m.text).toMatch(/Spring Knee Check/);
    expect(m.raw.toString()).not.toMatch(/app-pass-1234/);
  });

  it('a refused login or recipient is not-sent with the reason, and nothing arrives', async () => {
    const s0 = emailSetup({});
    const i = await intake({ clock: s0.clock, users: { jordan: 'right' }, rejectRecipient: (a) => (a.startsWith('cardio') ? '5.1.1 no such mailbox' : undefined) });
    s0.store.close();
    const wrong = setupFor(i.port, { user: 'jordan', pass: 'wrong' });
    const r1 = await (await makeEmailSubmitter(submitterDeps(wrong.loaded, wrong.clock, wrong.env), FAST)).submit(jobFor(wrong.store, wrong.loaded, 'north/ortho/email', 'tokaaaa1111'), recordingHooks());
    expect(r1).toMatchObject({ status: 'not-sent', outcome: 'refused' });
    expect(r1.error).toMatch(/login .* refused/);
    expect(r1.error).not.toMatch(/wrong/);
    const right = setupFor(i.port, { user: 'jordan', pass: 'right' });
    const r2 = await (await makeEmailSubmitter(submitterDeps(right.loaded, right.clock, right.env), FAST)).submit(jobFor(right.store, right.loaded, 'north/cardio/email', 'tokbbbb2222'), recordingHooks());
    expect(r2).toMatchObject({ status: 'not-sent', outcome: 'refused' });
    expect(r2.error).toMatch(/refused the recipient cardio@north\.example\.org: .*no such mailbox/);
    expect(i.received).toHaveLength(0);
  });

  it('a server that never answers is not-sent (timeout); a closed port is unreachable', async () => {
    const silent = await startSilentServer();
    closers.push(() => silent.close());
    const s = setupFor(silent.port);
    const r = await (await makeEmailSubmitter(submitterDeps(s.loaded, s.clock, s.env), FAST)).submit(jobFor(s.store, s.loaded, 'north/ortho/email', 'tokcccc3333'), recordingHooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'timeout' });
    const closed = setupFor(1);
    const r2 = await (await makeEmailSubmitter(submitterDeps(closed.loaded, closed.clock, closed.env), FAST)).submit(jobFor(closed.store, closed.loaded, 'north/ortho/email', 'tokdddd4444'), recordingHooks());
    expect(r2).toMatchObject({ status: 'not-sent', outcome: 'unreachable' });
  });

  it('a timeout after the message data went out is unknown, never submitted', async () => {
    const s0 = emailSetup({});
    const i = await intake({ clock: s0.clock, fault: 'hang-after-data' });
    s0.store.close();
    const s = setupFor(i.port);
    const r = await (await makeEmailSubmitter(submitterDeps(s.loaded, s.clock, s.env), FAST)).submit(jobFor(s.store, s.loaded, 'north/ortho/email', 'tokeeee5555'), recordingHooks());
    expect(r).toMatchObject({ status: 'unknown', outcome: 'timeout' });
    expect(r.error).toMatch(/may or may not have received it/);
    expect(i.received).toHaveLength(1);
  });

  it('refused message data is not-sent; do-not-contact addresses are never contacted', async () => {
    const s0 = emailSetup({});
    const i = await intake({ clock: s0.clock, fault: 'refuse-data' });
    s0.store.close();
    const s = setupFor(i.port, undefined, '');
    const sub = await makeEmailSubmitter(submitterDeps(s.loaded, s.clock, s.env), FAST);
    const r = await sub.submit(jobFor(s.store, s.loaded, 'north/ortho/email', 'tokffff6666'), recordingHooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'refused' });
    const blocked = jobFor(s.store, s.loaded, 'north/ortho/email', 'tokgggg7777');
    const j = { ...blocked, target: { ...blocked.target, entryPoint: { ...blocked.target.entryPoint, to: 'intake@blocked.example.org' } as typeof blocked.target.entryPoint } };
    const before = i.received.length;
    const r2 = await sub.submit(j, recordingHooks());
    expect(r2).toMatchObject({ status: 'not-sent', outcome: 'skipped' });
    expect(i.received.length).toBe(before);
  });
});
