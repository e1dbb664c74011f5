/**
 * Crash count of the V8 11.3 lazy-deopt bug under real Cedar use (see cedar/wasm.ts): N child
 * processes each make the CedarPolicy parse hot on one policy shape and then feed it new shapes,
 * as a 2026-04 install does; "before" re-enables TurboFan's JS-to-Wasm inlining after the target's
 * loader switched it off, "after" runs the target as it is. Prints crashes / runs for both.
 *   node --no-warnings --import ./sim/register.mjs sim/bench/cedar-deopt.bench.ts [runs=20]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REGISTER = fileURLToPath(new URL('../bin/register.mjs', import.meta.url));
const LOADER = new URL('../src/versions/v2026-04/cedar/wasm.ts', import.meta.url).href;
const POLICY_SET = new URL('../src/versions/v2026-04/cedar/policy-set.ts', import.meta.url).href;

const program = (reEnableInlining: boolean) => `
import { setFlagsFromString } from 'node:v8';
import { cedarWasm } from ${JSON.stringify(LOADER)};
import { parseStatements } from ${JSON.stringify(POLICY_SET)};
cedarWasm();
${reEnableInlining ? "setFlagsFromString('--turbo-inline-js-wasm-calls');" : ''}
const warm = 'permit(principal, action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");';
for (let i = 0; i < 3000; i++) parseStatements(warm);
parseStatements('permit(principal == Lattice::User::"system:serviceaccount:lattice-system:lattice-admin", action == Lattice::Action::"AccessCluster", resource);');
parseStatements('@id("x") forbid(principal in Lattice::Group::"g", action, resource) when { resource.labels has "a" } unless { principal.kind == "job" };');
`;

function crashes(reEnableInlining: boolean, runs: number): number {
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--no-warnings', '--import', REGISTER, '--input-type=module', '-e', program(reEnableInlining)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 || /unreachable code/.test(r.stderr)) n++;
  }
  return n;
}

const runs = Number(process.argv[2] ?? 20);
console.log(`before (JS-to-Wasm inlining on): ${crashes(true, runs)} crashes / ${runs} runs`);
console.log(`after  (target as it is):        ${crashes(false, runs)} crashes / ${runs} runs`);
