// Cold start of `respond-audit --help` against a bare `node -e 0`, same machine, same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/respond-audit.js', import.meta.url));

function median(cmd, args, n = 15) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

export async function run() {
  median(process.execPath, ['-e', '0'], 3); // warm the file cache
  const bare = median(process.execPath, ['-e', '0']);
  const help = median(process.execPath, [BIN, '--help']);
  return [{ metric: 'respond-audit --help cold start (median of 15)', value: help, unit: 'ms', baseline: bare, ratio: help / bare, goal: 'no Playwright/twilio loaded' }];
}
