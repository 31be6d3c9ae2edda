/**
 * The commander program: declares every command and flag, and nothing else. Each action
 * lazily imports its command module, so `--help` never loads Playwright or twilio.
 */
import { createRequire } from 'node:module';
import { CommanderError } from 'commander';
// The same commander, with option and argument types inferred from each declaration, so every
// action's options are checked against its command's options type.
import { Command, Option } from '@commander-js/extra-typings';
import type { Adapters } from '../adapters.js';
import { offsetClock, systemClock, type Clock } from '../clock.js';
import { ConfigError, ExitCode, formatIssue, isRespondAuditError } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import { Output } from './output.js';

/** The package's own version, read from its package.json (two levels above dist/cli and src/cli). */
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** A command module's entry point: the context and its options (flags and arguments merged). */
export type Action<O> = (ctx: CommandContext, opts: O) => Promise<number>;

/**
 * Runs a command: `load` imports its module lazily, `opts` are what commander parsed. `NoInfer`
 * makes the module's options type the one the parsed options are checked against.
 */
export type RunAction = <O extends object>(load: () => Promise<Action<O>>, opts: NoInfer<O>) => Promise<void>;

export function buildProgram(
  run: RunAction,
  output?: { writeOut(s: string): void; writeErr(s: string): void },
) {
  // exitOverride before any subcommand is added: subcommands copy these settings when created.
  const program = new Command('respond-audit')
    .exitOverride()
    .description('A mystery shopper for response mechanisms: asks through every web form, inbox and phone line, watches what comes back, and scores each site and service line on speed and ownership.')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .option('--debug', 'print what the tool is doing to stderr (also RESPOND_AUDIT_DEBUG=1); secrets are never printed')
    .configureHelp({ sortSubcommands: false });
  if (output) program.configureOutput(output);

  const examples = (cmd: { addHelpText(position: 'after', text: string): unknown }, lines: string[]) =>
    cmd.addHelpText('after', '\nExamples:\n' + lines.map((l) => `  $ ${l}`).join('\n'));

  examples(
    program
      .command('init')
      .summary('scaffold a commented audit config and an inquiry template')
      .description('Write configs/audit.yaml, configs/respond-audit.schema.json and probes/new-inquiry.yaml; the result validates as it is.')
      .argument('[dir]', 'project folder', '.')
      .option('--force', 'overwrite existing files')
      .option('--json', 'print what was written as JSON')
      .action((dir, o) => run(async () => (await import('../commands/init.js')).init, { ...o, dir })),
    ['respond-audit init', 'respond-audit init my-audit'],
  );

  examples(
    program
      .command('validate')
      .summary('check a config and its inquiry templates; print every problem at once')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--json', 'print the summary or the problems as JSON')
      .action((config, o) => run(async () => (await import('../commands/validate.js')).validate, { ...o, config })),
    ['respond-audit validate', 'respond-audit validate configs/demo.yaml --json'],
  );

  examples(
    program
      .command('run')
      .summary('plan the due probes and submit them (web forms, emails, calls, texts)')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--dry-run', 'contact nothing; print what would be sent where, and why anything is skipped')
      .addOption(new Option('--only <channels>', 'only these channels (comma-separated)').argParser(list))
      .addOption(new Option('--site <ids>', 'only these sites (comma-separated)').argParser(list))
      .addOption(new Option('--service-line <ids>', 'only these service lines (comma-separated)').argParser(list))
      .option('--before-campaign', 'probe every entry point once now, regardless of cadence')
      .option('--collect-for <duration>', 'after submitting, keep collecting replies this long (e.g. 2h)')
      .option('--json', 'print the run summary as JSON')
      .option('--no-notify', 'with --collect-for: send no alerts (reports.notify) afterwards')
      .action((config, o) => run(async () => (await import('../commands/run.js')).runCommand, { ...o, config })),
    ['respond-audit run --dry-run', 'respond-audit run configs/audit.yaml --only webform --site north', 'respond-audit run --before-campaign --collect-for 2h'],
  );

  examples(
    program
      .command('collect')
      .summary('fetch replies, callbacks and texts; attribute and classify them')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--watch [duration]', 'keep collecting (IMAP IDLE + periodic sweeps), for this long if given')
      .option('--json', 'print what was collected as JSON')
      .action((config, o) => run(async () => (await import('../commands/collect.js')).collectCommand, { ...o, config })),
    ['respond-audit collect', 'respond-audit collect --watch 2h'],
  );

  examples(
    program
      .command('status')
      .summary('list runs and open probes: what came back and what is still awaited')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--json', 'print as JSON')
      .action((config, o) => run(async () => (await import('../commands/status.js')).status, { ...o, config })),
    ['respond-audit status', 'respond-audit status configs/demo.yaml --json'],
  );

  examples(
    program
      .command('report')
      .summary('write scorecards: terminal, Markdown, HTML, PDF, JSON or JUnit')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--run <id>', 'only the probes of this run')
      .option('--since <duration>', 'only probes planned within this period (e.g. 30d)')
      .addOption(new Option('--format <format>', 'output format').choices(['terminal', 'md', 'html', 'pdf', 'json', 'junit']).default('terminal'))
      .option('--out <path>', 'write to this file (default: stdout, or reports/ for html and pdf)')
      .option('--fail-under <grade>', 'exit 1 when any grade is below this (0-100)')
      .option('--no-redact', 'show staff names, numbers and addresses in reply excerpts')
      .option('--no-notify', 'send no alerts (reports.notify) this time')
      .option('--notify-preview', 'print the alerts that would be sent (stderr); send and record nothing')
      .action((config, o) => run(async () => (await import('../commands/report.js')).reportCommand, { ...o, config })),
    ['respond-audit report', 'respond-audit report --format html --out reports/audit.html', 'respond-audit report --format junit --out reports/junit.xml --fail-under 70'],
  );

  examples(
    program
      .command('explain')
      .summary('show how emails would be classified, and why')
      .argument('<files...>', 'messages as .eml')
      .option('--config <path>', 'audit config (campaign, shopper, site domains); default configs/audit.yaml when it exists')
      .option('--sent-at <date-time>', 'when the inquiry was sent (ISO), so the time to reply is weighed')
      .option('--json', 'print {"kind", "passAlong", "campaignAware", "confidence", "needsReview", "reasons", ...}; one object per line for several files')
      .action((files, o) => run(async () => (await import('../commands/explain.js')).explain, { ...o, file: files })),
    ['respond-audit explain reply.eml', 'respond-audit explain replies/*.eml --json', 'respond-audit explain reply.eml --config configs/audit.yaml --sent-at 2027-03-09T10:12:00Z'],
  );

  const review = program
    .command('review')
    .summary('walk the verdicts that need a person\'s eye and correct them by hand')
    .description('Shows each reply the classifier flagged (or every one with --all): the message, the verdict and its reasons, and takes a correction. Interactive on a terminal; `review set` corrects one from a script. Corrections change the scores, survive `reclassify`, and every report shows them.')
    .argument('[config]', 'audit config', 'configs/audit.yaml')
    .option('--all', 'every emailed reply matched to an inquiry, not only the flagged ones')
    .option('--since <duration>', 'only replies received within this period (e.g. 7d)')
    .option('--by <name>', 'who is reviewing (also RESPOND_AUDIT_REVIEWER); recorded with each correction')
    .option('--json', 'list the verdicts as JSON')
    .action((config, o) => run(async () => (await import('../commands/review.js')).reviewCommand, { ...o, config }));
  review
      .command('set')
      .summary('correct one verdict (kind=…, passAlong=…, campaignAware=…, not-a-reply, ok, clear)')
      .argument('<event>', 'the event id (from `review --all`)')
      .argument('<changes...>', 'kind=human, passAlong=no, campaignAware=yes, not-a-reply, ok (the verdict is right) or clear (withdraw the correction)')
      .option('--note <text>', 'why (kept with the correction)')
      .option('--by <name>', 'who corrects it (also RESPOND_AUDIT_REVIEWER)')
      .option('--config <path>', 'audit config', 'configs/audit.yaml')
      .option('--json', 'print the correction as JSON')
      // review's own --json and --by are parsed wherever they stand (commander reads a parent's
      // options after its subcommand too), so set takes them merged.
      .action((event, changes, _o, cmd) =>
        run(async () => (await import('../commands/review.js')).reviewSet, { ...cmd.optsWithGlobals(), event, changes }),
      );
  examples(review, ['respond-audit review', 'respond-audit review --all --json', 'respond-audit review set 12 kind=human --note "signed by a nurse"', 'respond-audit review set 14 not-a-reply'],
  );

  examples(
    program
      .command('reclassify')
      .summary('classify the kept replies again (after an upgrade); corrections by hand stand')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--since <duration>', 'only replies received within this period (e.g. 30d)')
      .option('--dry-run', 'show what would change; write nothing')
      .option('--json', 'print what changed as JSON')
      .action((config, o) => run(async () => (await import('../commands/reclassify.js')).reclassifyCommand, { ...o, config })),
    ['respond-audit reclassify --dry-run', 'respond-audit reclassify --since 30d'],
  );

  examples(
    program
      .command('try')
      .summary('show what fields: auto would type into a web form, without submitting it')
      .description('Open a web form\'s page (GET and its own scripts only; nothing is typed, clicked or sent) and print each field\'s role and the value a run would type, the honeypots it skips, the consent it ticks and the opt-ins it leaves, the button it would press and the confirmation it will look for. An annotated screenshot goes to reports/try/.')
      .argument('<target>', 'an entry-point id (or site/line/entry key) of the config, or a URL')
      .option('--config <path>', 'audit config', 'configs/audit.yaml')
      .option('--json', 'print the mapping as JSON')
      .action((target, o) => run(async () => (await import('../commands/try.js')).tryCommand, { ...o, target })),
    ['respond-audit try north/ortho/contact-form', 'respond-audit try https://www.example.org/contact --json'],
  );

  examples(
    program
      .command('plan')
      .summary('show what would be sent when over the next period, its cost and the caps that bite')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--at <date>', 'plan as if it were this moment (ISO date or date-time)')
      .option('--days <n>', 'how many days ahead', '14')
      .option('--step <duration>', 'simulate a run every this long', '1h')
      .option('--before-campaign', 'start with a --before-campaign run')
      .option('--json', 'print as JSON')
      .action((config, o) => run(async () => (await import('../commands/plan.js')).planCommand, { ...o, config })),
    ['respond-audit plan', 'respond-audit plan --at 2027-03-01 --days 7'],
  );

  examples(
    program
      .command('doctor')
      .summary('check credentials, browser and connectivity without contacting any site')
      .argument('[config]', 'audit config', 'configs/audit.yaml')
      .option('--json', 'print the checks as JSON')
      .option('--round-trip', "also send a message to the shopper's own plus-address over SMTP and wait for it over IMAP (INBOX and Junk)")
      .option('--round-trip-timeout <duration>', 'how long the round trip waits for the message (default 2m; implies --round-trip)')
      .action((config, o) => run(async () => (await import('../commands/doctor.js')).doctor, { ...o, config })),
    ['respond-audit doctor', 'respond-audit doctor --round-trip'],
  );

  examples(
    program
      .command('browser-server')
      .summary('serve this machine\'s Chrome/Chromium to runners elsewhere (channels.browser.wsEndpoint)')
      .argument('[config]', 'audit config whose channels.browser names the browser (default: configs/audit.yaml when present)')
      .option('--port <n>', 'port to listen on (0 picks a free one)', '3000')
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--path <path>', 'WebSocket path, the endpoint\'s only key (default: a random one)')
      .option('--json', 'print the endpoint as one JSON line')
      .action((config, o) => run(async () => (await import('../commands/browser-server.js')).browserServer, { ...o, ...(config ? { config } : {}) })),
    ['respond-audit browser-server --host 0.0.0.0 --port 3000', 'respond-audit browser-server --json'],
  );

  examples(
    program
      .command('demo')
      .summary('run the whole audit against a simulated organization on this machine')
      .option('--out <path>', 'HTML report path', 'reports/demo.html')
      .option('--store <path>', 'where the demo keeps its results (default: reports/demo.db; replaced each time), or an empty PostgreSQL database: postgres://user@host:port/db')
      .option('--json', 'print the scorecard as JSON')
      .action((o) => run(async () => (await import('../commands/demo.js')).demo, o)),
    ['respond-audit demo', 'npm run demo'],
  );

  return program;
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export interface MainIO {
  /** Answers for interactive commands (`review`); process.stdin by default. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Fakes of the browser, SMTP, IMAP or Twilio client (tests); absent, the real ones. */
  adapters?: Partial<Adapters>;
}

/** Runs the CLI; resolves to the exit code (also set on process.exitCode by the bin). */
export async function runCli(argv: string[], io: MainIO = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = new Output(io.stdout ?? process.stdout, io.stderr ?? process.stderr, env);
  out.input = () => io.stdin ?? process.stdin;
  const abort = new AbortController();
  // RESPOND_AUDIT_NOW (ISO date-time) runs the tool as if it were that moment: for tests,
  // rehearsals and the sandbox; time still flows from there.
  let clock: Clock = systemClock;
  if (env.RESPOND_AUDIT_NOW) {
    const t = Date.parse(env.RESPOND_AUDIT_NOW);
    if (Number.isNaN(t)) {
      out.error(`RESPOND_AUDIT_NOW=${env.RESPOND_AUDIT_NOW} is not an ISO date-time`);
      return ExitCode.usage;
    }
    clock = offsetClock(t);
  }
  let code: number = ExitCode.ok;
  const program = buildProgram(async (load, opts) => {
    out.debugEnabled = !!program.opts().debug || env.RESPOND_AUDIT_DEBUG === '1';
    const ctx: CommandContext = { cwd: io.cwd ?? process.cwd(), env, io: out.withJson('json' in opts && opts.json === true), clock, signal: abort.signal, ...(io.adapters ? { adapters: io.adapters } : {}) };
    const action = await load();
    code = await action(ctx, opts);
  }, { writeOut: (s) => out.stdout.write(s), writeErr: (s) => out.stderr.write(s) });
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    return handleError(e, out);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function handleError(e: unknown, out: Output): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return ExitCode.usage;
  }
  if (e instanceof ConfigError) {
    for (const i of e.issues) out.info(formatIssue(i));
    const n = e.issues.filter((i) => i.severity === 'error').length;
    out.info(`${n} problem${n === 1 ? '' : 's'} in the config; nothing was contacted`);
    return e.exitCode;
  }
  if (isRespondAuditError(e)) {
    out.error(e.message);
    return e.exitCode;
  }
  const err = e as Error;
  out.error(`internal error: ${err?.message ?? String(e)}`);
  out.info(err?.stack ?? '');
  out.info('This is a bug in respond-audit. Please report it with the command you ran and the output above (remove anything private).');
  return ExitCode.internal;
}

export async function main(argv: string[]): Promise<void> {
  process.exitCode = await runCli(argv);
}
