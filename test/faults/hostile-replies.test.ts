/**
 * Hostile replies through the real IMAP collector (Dovecot): HTML with scripts, event
 * handlers and javascript: links, SVG/MathML mutation payloads, a 50 MB attachment, broken
 * MIME, unknown charsets (and UTF-7 that decodes to markup), terminal escape sequences, a
 * 10 MB header line and a 10 MB subject. Each is stored and classified, or skipped with a
 * reason; the collecting process's memory stays bounded; and every report format renders
 * them inert (the HTML checked in Chromium: no script runs, no request, no CSP violation).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { maildirWriter } from '../../src/sandbox/mailbox-writer.js';
import { Store } from '../../src/store/store.js';
import { BIN, cli } from '../helpers/cli.js';
import { useDovecot } from '../helpers/dovecot.js';
import { emailSetup, sentProbe, type EmailSetup } from '../email/setup.js';
import { MAIL_OWNER } from './mailbox.js';
import { rawDb } from '../helpers/raw-store.js';

const dovecot = useDovecot();
const MB = 1024 * 1024;

interface Hostile {
  name: string;
  headers?: string[];
  subject?: string;
  from?: string;
  contentType?: string;
  body: string | Buffer;
}

const PAYLOAD_HTML = `<html><head><style>@import url(http://127.0.0.1:9/x.css); body { background: url(http://127.0.0.1:9/bg.png) }</style>
<link rel="stylesheet" href="http://127.0.0.1:9/y.css"><base href="http://127.0.0.1:9/"><meta http-equiv="refresh" content="0;url=javascript:window.__pwned=12"></head>
<body><p>Hi Jordan, Friday at 3pm works.</p><script>window.__pwned=1</script>
<img src=x onerror="window.__pwned=2"><img src="http://127.0.0.1:9/track.png">
<a href="javascript:window.__pwned=3">book now</a> <div onmouseover="window.__pwned=5">North</div>
<form action="http://127.0.0.1:9/steal"><input name=q autofocus onfocus="window.__pwned=13"></form></body></html>`;

const MUTATION_HTML = `<p>Hello Jordan, Tuesday at 10 is open.</p>
<svg><style><img src=x onerror="window.__pwned=8"></style></svg>
<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=9"></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=window.__pwned=10>"></noscript>
<svg onload="window.__pwned=4"><foreignObject><iframe srcdoc="<script>parent.__pwned=11</script>"></iframe></foreignObject></svg>
<math href="javascript:window.__pwned=14"><mi xlink:href="javascript:window.__pwned=15">x</mi></math>
<template><script>window.__pwned=16</script></template>`;

function hostileMessages(): Hostile[] {
  const big = randomBytes(Math.ceil((50 * MB * 3) / 4)).toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    {
      name: 'html-script',
      subject: '<img src=x onerror=window.__pwned=6> Re: your question',
      from: '"<script>window.__pwned=7</script>" <desk@north.example.org>',
      contentType: 'text/html; charset=utf-8',
      body: PAYLOAD_HTML,
    },
    { name: 'mutation-xss', subject: 'Re: <svg onload=window.__pwned=4>', contentType: 'text/html; charset=utf-8', body: MUTATION_HTML },
    {
      name: 'attachment-50mb',
      contentType: 'multipart/mixed; boundary="b1"',
      body: `--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Jordan, see the attached brochure. Friday at 3pm works.\r\n--b1\r\nContent-Type: application/pdf; name="brochure.pdf"\r\nContent-Disposition: attachment; filename="brochure.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b1--\r\n`,
    },
    {
      name: 'broken-mime',
      contentType: 'multipart/alternative; boundary="never-used"',
      body: '--other\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@###not base64\r\n--other\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n--\r\nContent-Type: message/rfc822\r\n\r\nFrom: <<<>>>\r\nSubject: =?x?Q?broken?=\r\n\r\n<script>window.__pwned=17</script>\r\n',
    },
    {
      name: 'unknown-charset',
      subject: '=?x-klingon-9?B?SGkgSm9yZGFu?= =?utf-8?Q?bad=ZZ?=',
      contentType: 'text/plain; charset="x-klingon-9"',
      body: Buffer.concat([Buffer.from('Hi Jordan, Friday works. '), Buffer.from([0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0x00, 0x1b]), Buffer.from('[2J end')]),
    },
    // UTF-7 "+ADw-script+AD4-" decodes to <script>: whatever decodes it must still treat it as text.
    { name: 'utf7', contentType: 'text/plain; charset=utf-7', body: 'Hi Jordan +ADw-script+AD4-window.__pwned=18+ADw-/script+AD4- Friday works.' },
    {
      name: 'terminal-escapes',
      subject: `Re: hello \x1b[2J\x1b]8;;http://127.0.0.1:9/\x07click\x1b]8;;\x07 \x1b[31mRED`,
      contentType: 'text/plain; charset=utf-8',
      body: 'Hi Jordan,\r\n\x1b[2J\x1b[1;1HFriday at 3pm works. \x1b]0;pwned title\x07\r\n',
    },
    { name: 'header-10mb', headers: [`X-Filler: ${'a'.repeat(10 * MB)}`], contentType: 'text/plain', body: 'Hi Jordan, Friday at 3pm works.' },
    { name: 'subject-10mb', subject: `Re: ${'S'.repeat(10 * MB)}`, contentType: 'text/plain', body: 'Hi Jordan, Friday at 3pm works.' },
  ];
}

function raw(m: Hostile, token: string, date: Date): Buffer {
  const head = [
    `From: ${m.from ?? 'North Clinic <desk@north.example.org>'}`,
    `To: Jordan Avery <jordan+${token}@example.net>`,
    `Subject: ${m.subject ?? 'Re: Question about Orthopedics'}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${m.name}.${token}@north.example.org>`,
    ...(m.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: ${m.contentType ?? 'text/plain; charset=utf-8'}`,
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), Buffer.isBuffer(m.body) ? m.body : Buffer.from(m.body, 'utf8')]);
}

/** `collect` in its own process; its peak RSS (KB) printed at exit by a preloaded hook. */
function collectWithPeakRss(s: EmailSetup): Promise<{ code: number; stdout: string; stderr: string; maxRssKb: number }> {
  const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+process.resourceUsage().maxRSS+"\\n"))';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, BIN, 'collect', 'configs/audit.yaml', '--json'], {
      cwd: s.dir,
      env: { ...process.env, ...s.env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, maxRssKb: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? NaN) }));
  });
}

async function inChromium(file: string) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.hover('text=North').catch(() => undefined);
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      csp: (window as unknown as { __csp: string[] }).__csp,
      // Anything that could run or load; the report's own charts (svg) and CSP (meta) aside.
      active: [...document.querySelectorAll('script, iframe, object, embed, svg, math, foreignObject, template, form, base, link, meta, [onerror], [onload], [onmouseover], [onfocus], a[href^="javascript"]')]
        .filter((el) => !(el.tagName === 'META' && el.closest('head')) && !(el.tagName.toLowerCase() === 'svg' && el.getAttribute('role') === 'img'))
        .map((el) => el.outerHTML.slice(0, 120)),
      text: document.body.innerText,
      url: location.href,
    }));
    return { ...state, requests, problems };
  } finally {
    await browser.close();
  }
}

describe('hostile replies through the IMAP collector', () => {
  it('are classified or skipped with a reason, in bounded memory, and every report renders them inert', { timeout: 240_000 }, async () => {
    // Baseline: the same collect over an empty mailbox.
    const u0 = dovecot.freshUser();
    const empty = emailSetup({ imap: { port: dovecot.server.imapPort, user: u0.user, pass: u0.pass, mailboxes: ['INBOX'] } });
    sentProbe(empty, { submittedAt: empty.clock.now() });
    empty.store.close();
    const base = await collectWithPeakRss(empty);
    expect(base.code, base.stderr).toBe(0);

    const u = dovecot.freshUser();
    const s = emailSetup({ imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass, mailboxes: ['INBOX'] } });
    const t0 = s.clock.now();
    const messages = hostileMessages();
    const w = maildirWriter(dovecot.server.maildir(u.user), MAIL_OWNER);
    const probes = new Map<string, number>();
    for (const [i, m] of messages.entries()) {
      const p = sentProbe(s, { submittedAt: t0 });
      probes.set(m.name, p.id);
      const date = new Date(t0 + (i + 1) * 60_000);
      await w.deliver(raw(m, p.token, date), date);
    }
    s.store.close();

    const col = await collectWithPeakRss(s);
    expect(col.code, col.stderr.slice(0, 2000)).toBe(0);
    const growthMb = (col.maxRssKb - base.maxRssKb) / 1024;
    expect(growthMb, `collect peaked at ${Math.round(col.maxRssKb / 1024)} MB, ${Math.round(base.maxRssKb / 1024)} MB without the hostile mail`).toBeLessThan(300);
    const json = JSON.parse(col.stdout) as { sources: Array<{ source: string; added: number; notes: string[] }> };
    const imap = json.sources.find((x) => x.source === 'imap')!;

    // Each one stored with an event and its reasons, or named in a skip note.
    const store = new Store(s.loaded.storePath);
    try {
      for (const m of messages) {
        const events = store.eventsForProbe(probes.get(m.name)!);
        const skipped = imap.notes.some((n) => n.includes(m.name));
        expect(events.length === 1 || skipped, `${m.name}: ${JSON.stringify(events)} notes ${JSON.stringify(imap.notes)}`).toBe(true);
        for (const e of events) {
          expect(['auto-ack', 'human-reply', 'bounce', 'stop-request']).toContain(e.kind);
          expect(e.reasons.length, m.name).toBeGreaterThan(0);
        }
      }
      // What is kept of a reply stays small, whatever the sender put in it.
      const big = rawDb(store).prepare('SELECT MAX(LENGTH(subject)) AS s, MAX(LENGTH(excerpt)) AS e, MAX(LENGTH(data)) AS d, MAX(LENGTH(sender)) AS f FROM observations').get() as Record<string, number>;
      for (const [col, n] of Object.entries(big)) expect(n ?? 0, `observations.${col} holds ${n} characters`).toBeLessThan(64 * 1024);
    } finally {
      store.close();
    }

    // Every report format.
    const outs: Record<string, string> = {};
    for (const format of ['html', 'md', 'json', 'junit']) {
      const r = await cli(['report', 'configs/audit.yaml', '--format', format, '--out', `reports/r.${format}`], { cwd: s.dir, env: s.env });
      expect(r.code, r.stderr).toBe(0);
      outs[format] = readFileSync(join(s.dir, `reports/r.${format}`), 'utf8');
    }
    const term = await cli(['report', 'configs/audit.yaml'], { cwd: s.dir, env: s.env });
    expect(term.code, term.stderr).toBe(0);
    outs.terminal = term.stdout;
    const status = await cli(['status', 'configs/audit.yaml'], { cwd: s.dir, env: s.env });
    expect(status.code, status.stderr).toBe(0);
    outs.status = status.stdout;
    for (const [format, text] of Object.entries(outs)) {
      expect(text.length, `${format} report size`).toBeLessThan(2 * MB);
      // No control characters from the replies: no terminal escapes, no NULs.
      const control = [...text].find((ch) => (ch < ' ' && !'\t\n\r'.includes(ch)) || ch === '\u007f');
      expect(control && control.charCodeAt(0), `${format} carries a control character`).toBeUndefined();
    }
    for (const format of ['md', 'junit', 'terminal', 'status']) {
      expect(outs[format]).not.toMatch(/<(script|img|svg|math|iframe|style|a)\b/i);
      expect(outs[format]).not.toMatch(/\]\(\s*javascript:/i);
    }
    expect(() => JSON.parse(outs.json!)).not.toThrow();
    expect(XMLValidator.validate(outs.junit!)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(outs.junit!) as Record<string, unknown>;
    expect(JSON.stringify(Object.keys(junit))).not.toMatch(/script|img|svg/i);

    const page = await inChromium(join(s.dir, 'reports/r.html'));
    expect(page.pwned).toBeNull();
    expect(page.csp).toEqual([]);
    expect(page.problems).toEqual([]);
    expect(page.active).toEqual([]);
    expect(page.url.startsWith('file://')).toBe(true);
    expect(page.requests.filter((r) => !r.startsWith('file://') && !r.startsWith('data:')), page.requests.join('\n')).toEqual([]);
    expect(page.requests.filter((r) => r.startsWith('file://'))).toHaveLength(1);
    // The payloads are there, as text.
    expect(page.text).toContain('Friday at 3pm works');
  });
});
