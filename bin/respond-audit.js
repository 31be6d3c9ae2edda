#!/usr/bin/env node
// `respond-audit report | head` closes stdout early: that is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
import('../dist/cli/main.js').then((m) => m.main(process.argv));
