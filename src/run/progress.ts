/** The live display while probes are in flight: one redrawn line on a TTY, plain lines otherwise. */
import type { Output } from '../cli/output.js';

export class Progress {
  private inFlight = new Map<string, string>();
  private done = 0;
  private lastWidth = 0;
  constructor(
    private readonly io: Output,
    private readonly total: number,
  ) {}

  start(key: string, text: string) {
    this.inFlight.set(key, text);
    if (this.io.interactive) this.redraw();
    else this.io.info(`→ ${key}: ${text}`);
  }

  update(key: string, text: string) {
    if (!this.inFlight.has(key)) return;
    this.inFlight.set(key, text);
    if (this.io.interactive) this.redraw();
  }

  finish(key: string, text: string, ok: boolean) {
    this.inFlight.delete(key);
    this.done++;
    const mark = ok ? this.io.c.green('✓') : this.io.c.yellow('✗');
    if (this.io.interactive) {
      this.clear();
      this.io.info(`${mark} ${key}: ${text}`);
      this.redraw();
    } else this.io.info(`${ok ? '✓' : '✗'} ${key}: ${text}`);
  }

  end() {
    if (this.io.interactive) this.clear();
  }

  private redraw() {
    const [first] = this.inFlight.entries();
    const line = `[${this.done}/${this.total}] ${this.inFlight.size} in flight${first ? ` · ${first[0]}: ${first[1]}` : ''}`.slice(0, 118);
    this.io.stderr.write(`\r${line.padEnd(this.lastWidth)}`);
    this.lastWidth = line.length;
  }

  private clear() {
    if (this.lastWidth) this.io.stderr.write(`\r${' '.repeat(this.lastWidth)}\r`);
    this.lastWidth = 0;
  }
}
