#!/usr/bin/env node
// The `praetor` command. The build (npm install runs it) puts the program in dist/.
import { main } from '../dist/src/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { process.stderr.write(`praetor: ${err && err.message ? err.message : err}\n`); process.exitCode = 1; },
);
