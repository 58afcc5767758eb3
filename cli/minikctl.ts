#!/usr/bin/env node
import { runMinikctl } from './ctl/program.js';

/** `minikctl`: a small kubectl for minik. Wiring only; the commands live in cli/ctl/. */
const code = await runMinikctl(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  terminal: process.stdout.isTTY === true,
});

// A watch ends only on a signal; everything else ends here, even with idle connections still open.
process.stdout.write('', () => process.exit(code));
