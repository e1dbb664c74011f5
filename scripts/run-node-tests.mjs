#!/usr/bin/env node
// Runs node's test runner over every *.test.ts under the given folders.
// Node 20 does not expand globs for --test, and a bare `node --test` finds no .ts
// files and exits 0; listing the files ourselves makes "no tests" an error instead.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
const registerArg = args.find((a) => a.startsWith('--register='));
const register = registerArg ? './' + registerArg.slice('--register='.length) : './test/register.mjs';
const passthrough = args.filter((a) => a.startsWith('--') && !a.startsWith('--register='));

function collect(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), p));
  }
  return out;
}

const files = dirs.flatMap(collect);
if (files.length === 0) {
  console.error(`no *.test.ts files found under: ${dirs.join(', ') || '(no folder given)'}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const res = spawnSync(process.execPath, [
  '--no-warnings=ExperimentalWarning',
  '--import', register,
  '--test', `--test-concurrency=${concurrency}`,
  ...passthrough,
  ...files,
], { stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
process.exit(res.status ?? 1);
