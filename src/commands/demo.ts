/**
 * `respond-audit demo`: the whole audit against the sandbox organization on loopback,
 * through the same commands a real audit uses (run, collect, report). The organization's
 * people answer on a simulated clock: the run happens "eight days ago", replies arrive
 * hours and days after it, and collecting and reporting happen today.
 */
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Clock } from '../clock.js';
import { startDemoOrganization, DEMO_DAY } from '../sandbox/demo-org.js';
import { collectCommand } from './collect.js';
import type { CommandContext } from './context.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { isPostgresUrl, Store } from '../store/store.js';
import { UsageError } from '../errors.js';

export interface DemoOptions {
  out?: string;
  /** Where the demo's store goes (default reports/demo.db beside the package); replaced each time. */
  store?: string;
  json?: boolean;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_CONFIG = resolve(PACKAGE_ROOT, 'configs/demo.yaml');

/** A clock that can jump: the run happens days ago, collecting and reporting today. */
function simulatedClock(start: number): Clock & { jumpTo(t: number): void } {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    jumpTo(t: number) {
      offset = t - Date.now();
    },
  };
}

export async function demo(ctx: CommandContext, opts: DemoOptions): Promise<number> {
  const io = ctx.io;
  const today = ctx.clock.now();
  const clock = simulatedClock(today - 8 * DEMO_DAY);
  io.info(io.c.bold('respond-audit demo: a SIMULATION.'));
  io.info('A made-up health system (4 sites, 12 service lines) runs on this machine: its web site, mail');
  io.info('and phone lines. Nothing leaves the machine and no real organization is contacted. Its people');
  io.info('answer on a simulated clock: the inquiries go out "eight days ago" and replies dated hours and');
  io.info('days later arrive in seconds.\n');

  const org = await startDemoOrganization(clock);
  io.info(`sandbox: web site ${org.env.DEMO_SITE_URL}, mail intake :${org.env.DEMO_SMTP_PORT}, IMAP :${org.env.DEMO_IMAP_PORT} (${org.imapKind}), phone API ${org.env.DEMO_TWILIO_URL}`);
  if (org.env.DEMO_RECORD !== 'true') io.warn('espeak-ng or sox is missing: the sandbox phone lines are not recorded, so hold times and IVR messages are not measured');
  try {
    // Under --json only the report's JSON goes to stdout; run and collect keep quiet there.
    // --store postgres://… runs the demo on a PostgreSQL store: an empty database (it is not wiped).
    const onPostgres = !!opts.store && isPostgresUrl(opts.store);
    const storePath = opts.store ? (onPostgres ? opts.store : resolve(ctx.cwd, opts.store)) : resolve(PACKAGE_ROOT, 'reports/demo.db');
    const storeEnv = onPostgres ? { RESPOND_AUDIT_STORE_URL: storePath } : { RESPOND_AUDIT_STORE: storePath };
    const dctx: CommandContext = { ...ctx, io: io.withJson(false), env: { ...ctx.env, ...org.env, ...storeEnv }, clock };
    if (onPostgres) {
      const store = new Store(storePath, clock);
      const used = store.listRuns(1).length > 0;
      store.close();
      if (used) throw new UsageError(`the demo needs an empty database; ${store.path} already holds runs`, 'EDEMOSTORE');
    } else for (const suffix of ['', '-wal', '-shm']) if (existsSync(storePath + suffix)) rmSync(storePath + suffix);

    io.info(io.c.bold('\n1. run: submitting the inquiries (web forms in Chromium, emails over SMTP, calls and a text through the Twilio-compatible API)'));
    const quiet = { ...dctx, io: io.withJson(true) };
    let code = await runCommand(opts.json ? quiet : dctx, { config: DEMO_CONFIG });
    if (code !== 0) return code;

    io.info(io.c.bold('\n2. eight days pass (simulated): the organization answers, or does not'));
    clock.jumpTo(today);
    const delivered = await org.deliverDue();
    io.info(`   ${delivered} emails delivered to the shopper's mailbox, ${org.twilio.counts.callsPlaced} test calls placed, callbacks and texts logged by the phone API`);

    io.info(io.c.bold('\n3. collect: reading the mailbox and the call and text logs, attributing and classifying'));
    code = await collectCommand(opts.json ? quiet : dctx, { config: DEMO_CONFIG });
    if (code !== 0) return code;

    io.info(io.c.bold('\n4. report'));
    code = await reportCommand(dctx, { config: DEMO_CONFIG, format: opts.json ? 'json' : 'terminal' });
    const out = resolve(ctx.cwd, opts.out ?? 'reports/demo.html');
    await reportCommand({ ...dctx, io: io.withJson(true) }, { config: DEMO_CONFIG, format: 'html', out });
    io.info(`\nThe HTML report is at ${out} (open it in a browser). This was a simulation: copy configs/demo.yaml to start your own audit.`);
    return code;
  } finally {
    await org.close();
  }
}
