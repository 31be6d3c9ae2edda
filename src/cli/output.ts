/**
 * All console output goes through here: colour only on a TTY without NO_COLOR, a --json
 * mode, and secrets scrubbed from every line. Streams are handed in so tests capture them.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export class Output {
  readonly c: ChalkInstance;
  readonly color: boolean;
  /** True when a live progress display makes sense (a TTY, not CI). */
  readonly interactive: boolean;
  /** --debug or RESPOND_AUDIT_DEBUG=1: `debug()` lines go to stderr (scrubbed like the rest). */
  debugEnabled = false;
  /** Where interactive answers come from (stdin, opened only when asked for; tests hand in a stream). */
  input: () => (NodeJS.ReadableStream & { isTTY?: boolean }) | null = () => null;
  private secrets: string[] = [];
  constructor(
    readonly stdout: Writable,
    readonly stderr: Writable,
    env: Record<string, string | undefined>,
    readonly jsonMode = false,
  ) {
    this.color = !!stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR !== '0';
    this.interactive = !!stderr.isTTY && !env.CI;
    this.c = new Chalk({ level: this.color ? 1 : 0 });
  }

  withJson(jsonMode: boolean): Output {
    const o = new Output(this.stdout, this.stderr, {}, jsonMode);
    Object.assign(o, { c: this.c, color: this.color, interactive: this.interactive, secrets: this.secrets, debugEnabled: this.debugEnabled, input: this.input });
    return o;
  }

  addSecrets(values: readonly string[]): void {
    for (const v of values) if (v && v.length >= 4 && !this.secrets.includes(v)) this.secrets.push(v);
  }

  scrub(text: string): string {
    let t = text;
    for (const s of this.secrets) t = t.split(s).join('***');
    return t;
  }

  /** A result line (suppressed in --json mode, where only the JSON document is printed). */
  line(text = ''): void {
    if (!this.jsonMode) this.stdout.write(this.scrub(text) + '\n');
  }

  /** Diagnostics, progress and warnings: always stderr. */
  info(text: string): void {
    this.stderr.write(this.scrub(text) + '\n');
  }

  /** What the tool is doing, for --debug: never values of secrets (scrubbed anyway). */
  debug(text: string): void {
    if (this.debugEnabled) this.stderr.write(this.scrub(this.c.dim('debug: ') + text) + '\n');
  }

  /** A debug sink for adapters (collectors, submitters), or undefined when debugging is off. */
  get debugSink(): ((text: string) => void) | undefined {
    return this.debugEnabled ? (t: string) => this.debug(t) : undefined;
  }

  warn(text: string): void {
    this.stderr.write(this.scrub(this.c.yellow('warning: ') + text) + '\n');
  }

  error(text: string): void {
    this.stderr.write(this.scrub(this.c.red('error: ') + text) + '\n');
  }

  json(value: unknown): void {
    this.stdout.write(this.scrub(JSON.stringify(value, null, 2)) + '\n');
  }

  /** One JSON document on one line (JSON Lines, for a command reporting on several inputs). */
  jsonLine(value: unknown): void {
    this.stdout.write(this.scrub(JSON.stringify(value)) + '\n');
  }
}
