/** Run the CLI in-process (streams captured) or as a real process through bin/. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Adapters } from '../../src/adapters.js';
import { runCli } from '../../src/cli/main.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/respond-audit.js', import.meta.url));

class Capture {
  text = '';
  isTTY = false;
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; adapters?: Partial<Adapters> }): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(['node', 'respond-audit', ...args], {
    cwd: opts.cwd,
    env: { NO_COLOR: '1', ...(opts.env ?? {}) },
    stdout: stdout as unknown as NodeJS.WritableStream,
    stderr: stderr as unknown as NodeJS.WritableStream,
    ...(opts.adapters ? { adapters: opts.adapters } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The built CLI as a separate process (needs `npm run build`, which `npm test` runs first). */
export function cliProcess(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number; bin?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...(opts.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
