// 50 web-form probes at concurrency 4 against the sandbox site through the submitter
// (fields: auto, outcome detection, evidence), next to a bare Playwright script that fills
// and submits the same 50 forms with hard-coded selectors, waits for the same confirmation
// and keeps the same evidence (screenshot + HTML), in the same run, same browser binary and
// flags. The two sides alternate in blocks of 10 probes, and their times are summed.
// The dwell (minimum time on the page before the click, channels.browser.dwell) is set to 0
// on our side: the bare script does not dwell either, so dwell waits are out of both sides.
// Peak memory is the node process plus its browser processes, sampled every 100 ms.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const dist = new URL('../dist/', import.meta.url);
const { startSandboxSite } = await import(new URL('sandbox/site.js', dist));
const { loadConfigOrThrow } = await import(new URL('config/load.js', dist));
const { createWebformSubmitter } = await import(new URL('submit/webform.js', dist));
const { LAUNCH_ARGS, findBrowser } = await import(new URL('submit/browser.js', dist));
const { systemClock } = await import(new URL('clock.js', dist));

const N = 50;
const CONCURRENCY = 4;
const BLOCK = 10;
const STYLES = ['plain', 'ajax', 'split', 'spanish', 'consent'];
const PHONE = '+13125550101';

const BARE = {
  async plain(page, s) {
    await page.fill('#name', s.name);
    await page.fill('#email', s.email);
    await page.fill('#phone', s.phoneNational);
    await page.fill('#subject', s.subject);
    await page.fill('#message', s.message);
    await page.click('input[type=submit]');
    await page.waitForURL('**/thank-you');
    await page.getByText('Thank you').first().waitFor();
  },
  async ajax(page, s) {
    await page.fill('[name=name]', s.name);
    await page.fill('[name=email]', s.email);
    await page.fill('[name=phone]', s.phoneNational);
    await page.selectOption('[name=department]', 'orthopedics');
    await page.fill('[name=comments]', s.message);
    await page.click('button');
    await page.locator('.success').waitFor();
  },
  async split(page, s) {
    await page.fill('#s-first', s.first);
    await page.fill('#s-last', s.last);
    await page.fill('#s-email', s.email);
    await page.fill('#s-phone', s.phoneNational);
    await page.selectOption('#s-line', 'orthopedics');
    await page.fill('#s-date', s.date);
    await page.fill('#s-notes', s.message);
    await page.click('button');
    await page.getByText('Thank you').first().waitFor();
  },
  async spanish(page, s) {
    await page.fill('#nombre', s.first);
    await page.fill('#apellidos', s.last);
    await page.fill('#correo', s.email);
    await page.fill('#tel', s.phoneNational);
    await page.selectOption('#esp', 'ortopedia');
    await page.fill('#fecha', s.date);
    await page.fill('#mensaje', s.message);
    await page.check('[name=privacidad]');
    await page.click('button');
    await page.waitForURL('**/gracias');
    await page.getByText('Gracias').first().waitFor();
  },
  async consent(page, s) {
    await page.fill('#c-name', s.name);
    await page.fill('#c-email', s.email);
    await page.fill('#c-phone', s.phoneNational);
    await page.fill('#c-msg', s.message);
    await page.check('[name=consent]');
    await page.click('button');
    await page.waitForURL('**/thank-you');
    await page.getByText('Thank you').first().waitFor();
  },
};

async function pool(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Memory of the node process and its descendants (the browser): the sum of RSS (shared
 * pages counted once per process, as `ps` shows) and of PSS (shared pages split between
 * the processes sharing them: the honest total). Linux /proc; node alone elsewhere.
 */
function treeMemory() {
  const own = process.memoryUsage().rss;
  try {
    const parent = new Map();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {}
    }
    let rss = 0;
    let pss = 0;
    for (const pid of parent.keys()) {
      let mine = false;
      for (let p = pid; p > 1 && !mine; p = parent.get(p) ?? 0) mine = p === process.pid;
      if (!mine) continue;
      try {
        const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        rss += Number(/^Rss:\s+(\d+)/m.exec(roll)?.[1] ?? 0) * 1024;
        pss += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0) * 1024;
      } catch {}
    }
    return rss ? { rss, pss } : { rss: own, pss: own };
  } catch {
    return { rss: own, pss: own };
  }
}

async function measured(fn) {
  const peak = treeMemory();
  const sample = () => {
    const m = treeMemory();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.pss = Math.max(peak.pss, m.pss);
  };
  const timer = setInterval(sample, 100);
  const t = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t;
  sample();
  return { ms, peak };
}

function projectFor(site, side) {
  const root = mkdtempSync(join(tmpdir(), 'respond-audit-bench-forms-'));
  const entries = Array.from({ length: N }, (_, i) => `          - type: webform\n            id: f${i}\n            url: ${site.urlOf(`/${side}/f${i}`)}\n`).join('');
  mkdirSync(join(root, 'configs'));
  mkdirSync(join(root, 'probes'));
  writeFileSync(
    join(root, 'probes/new-inquiry.yaml'),
    'subject: "Question about {serviceLine.name}"\nvariants:\n  - "Hello, I would like an appointment for {serviceLine.name} at {site.name}. Please call me back. {shopper.name}"\n',
  );
  writeFileSync(
    join(root, 'configs/audit.yaml'),
    `version: 1\norganization: Sandbox Health\nshopper:\n  name: Jordan Avery\n  email: jordan+{token}@example.net\n  phones: ["${PHONE}"]\n` +
      `channels:\n  browser:\n    concurrency: ${CONCURRENCY}\n    timeout: 30s\n    dwell: 0s\nsafety:\n  allowLocal: true\n` +
      `sites:\n  - id: north\n    name: North Clinic\n    serviceLines:\n      - id: ortho\n        name: Orthopedics\n        entryPoints:\n${entries}`,
  );
  return { root, loaded: loadConfigOrThrow(join(root, 'configs/audit.yaml'), { cwd: root, env: {} }) };
}

function shopperFor(token) {
  return {
    name: 'Jordan Avery',
    first: 'Jordan',
    last: 'Avery',
    email: `jordan+${token}@example.net`,
    phoneNational: '(312) 555-0101',
    subject: 'Question about Orthopedics',
    message: 'Hello, I would like an appointment for Orthopedics at North Clinic. Please call me back. Jordan Avery',
    date: '2027-03-09',
  };
}

async function oursBlock(site, indices) {
  const { root, loaded } = projectFor(site, 'ours');
  const artifactsDir = join(loaded.reportsDir, 'artifacts');
  const submitter = await createWebformSubmitter({ loaded, clock: systemClock, env: process.env, artifactsDir, log: () => {}, signal: new AbortController().signal });
  const targets = indices.map((i) => loaded.entryPoints[i]);
  const results = [];
  const res = await measured(() =>
    pool(targets, CONCURRENCY, async (target) => {
      const token = `bench${target.id}`;
      const s = shopperFor(token);
      const job = {
        probe: { id: 1, token, runId: 1, entryKey: target.key, channel: 'webform', target: target.entryPoint.url, status: 'submitting' },
        target,
        shopper: { name: s.name, firstName: s.first, lastName: s.last, email: s.email, phone: PHONE },
        inquiry: target.inquiry,
        message: { subject: s.subject, body: s.message, sms: '' },
        preferredDate: s.date,
      };
      results.push(await submitter.submit(job, { progress() {}, confirmed() {} }));
    }),
  );
  await submitter.close();
  rmSync(root, { recursive: true, force: true });
  const bad = results.find((r) => r.status !== 'submitted');
  if (bad) throw new Error(`ours: a probe was not submitted: ${JSON.stringify(bad)}`);
  return res;
}

async function bareBlock(site, indices, executablePath) {
  const dir = mkdtempSync(join(tmpdir(), 'respond-audit-bench-bare-'));
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
  const res = await measured(() =>
    pool(indices, CONCURRENCY, async (i) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(site.urlOf(`/bare/f${i}`), { waitUntil: 'domcontentloaded' });
      await BARE[STYLES[i % STYLES.length]](page, shopperFor(`bare${i}`));
      await page.screenshot({ path: join(dir, `${i}.png`), fullPage: true });
      writeFileSync(join(dir, `${i}.html`), await page.content());
      await context.close();
    }),
  );
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
  return res;
}

export async function run() {
  const site = await startSandboxSite({ clock: systemClock });
  const { executablePath } = findBrowser(undefined, process.env, {});
  for (const side of ['ours', 'bare']) for (let i = 0; i < N; i++) site.mount({ path: `/${side}/f${i}`, style: STYLES[i % STYLES.length] });
  const blocks = { ours: [], bare: [] };
  try {
    // The machine is shared: alternate the two sides in blocks (starting side alternating
    // too) so a burst of load elsewhere hits both alike. Browser start-up is not timed.
    for (let b = 0; b < N / BLOCK; b++) {
      const indices = Array.from({ length: BLOCK }, (_, k) => b * BLOCK + k);
      const sides = b % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
      for (const side of sides)
        blocks[side].push(side === 'ours' ? await oursBlock(site, indices) : await bareBlock(site, indices, executablePath));
    }
    for (const side of ['ours', 'bare']) {
      const got = site.received.filter((r) => r.path.startsWith(`/${side}/`));
      if (got.length !== N || got.some((g) => !g.accepted || g.spam)) throw new Error(`${side}: the site received ${got.length} good submissions, wanted ${N}`);
    }
  } finally {
    await site.close();
  }
  const total = (xs) => xs.reduce((a, r) => a + r.ms, 0);
  const ours = total(blocks.ours);
  const bare = total(blocks.bare);
  const mb = (b) => b / 1024 / 1024;
  const peakOf = (xs, k) => Math.max(...xs.map((r) => r.peak[k]));
  return [
    { metric: `${N} form probes, concurrency ${CONCURRENCY} (${N / BLOCK} interleaved blocks of ${BLOCK})`, value: ours, unit: 'ms', baseline: bare, ratio: ours / bare, goal: '≤ 1.2×' },
    { metric: 'per probe', value: ours / N, unit: 'ms', baseline: bare / N, ratio: ours / bare },
    { metric: 'peak RSS, node + browser processes (summed)', value: mb(peakOf(blocks.ours, 'rss')), unit: 'MB', baseline: mb(peakOf(blocks.bare, 'rss')), ratio: peakOf(blocks.ours, 'rss') / peakOf(blocks.bare, 'rss') },
    { metric: 'peak PSS, node + browser processes', value: mb(peakOf(blocks.ours, 'pss')), unit: 'MB', baseline: mb(peakOf(blocks.bare, 'pss')), ratio: peakOf(blocks.ours, 'pss') / peakOf(blocks.bare, 'pss') },
  ];
}
