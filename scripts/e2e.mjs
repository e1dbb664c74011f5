#!/usr/bin/env node
// `npm run e2e [-- cucumber args]`: runs the features (default profile: the embedded Lattice
// target) and says where the reports are. Ctrl-C is passed to Cucumber, whose hooks clean up.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const child = spawn('npx', ['cucumber-js', ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => {
  const html = resolve('reports', 'cucumber.html');
  console.log(`\nHTML report: ${html}`);
  console.log(`JUnit: ${resolve('reports', 'cucumber.xml')}  JSON: ${resolve('reports', 'cucumber.json')}  messages: ${resolve('reports', 'cucumber.ndjson')}`);
  process.exit(code ?? (signal ? 130 : 1));
});
