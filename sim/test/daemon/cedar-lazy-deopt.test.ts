/**
 * The daemon died with "Fatal error ... unreachable code" in V8's
 * Deoptimizer::DoComputeBuiltinContinuation (Node 20, V8 11.3) about a second after a 2026-04
 * install: a TurboFan-optimized cedar-wasm glue function, with its JS-to-Wasm call inlined, was
 * deoptimized while Cedar ran, and V8 11.3 cannot rebuild the call's `externref` result. This makes
 * that deopt happen on purpose (natives syntax, in a child process): the glue is optimized, then
 * deoptimized from inside the Wasm call (Cedar's JSON.parse/JSON.stringify callback). Loaded through
 * the target's loader (cedar/wasm.ts) the process must survive and still answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTER = fileURLToPath(new URL('../../bin/register.mjs', import.meta.url));
const LOADER = new URL('../../src/versions/v2026-04/cedar/wasm.ts', import.meta.url).href;

/** Child program: optimize `glue`, deoptimize it from Cedar's first JSON callback, report. */
const child = (glueName: string, args: string) => `
import { cedarWasm } from ${JSON.stringify(LOADER)};
const cedar = cedarWasm();
const natives = (body) => new Function('f', body);
const prepare = natives('%PrepareFunctionForOptimization(f)');
const optimizeNext = natives('%OptimizeFunctionOnNextCall(f)');
const deopt = natives('%DeoptimizeFunction(f)');
const status = natives('return %GetOptimizationStatus(f)');
const OPTIMIZED = 16;
const glue = cedar.${glueName};
const args = ${args};
if (cedar.preparsePolicySet('lazy-deopt', { staticPolicies: { p0: 'permit(principal, action, resource);' } }).type !== 'success') throw new Error('preparse failed');
prepare(glue); glue(...args); glue(...args); optimizeNext(glue); glue(...args);
const optimizedBefore = (status(glue) & OPTIMIZED) !== 0;
const { parse, stringify } = JSON;
let deoptedInCall = false;
const arm = (original) => function (...a) { if (!deoptedInCall) { deoptedInCall = true; deopt(glue); } return original.apply(JSON, a); };
JSON.parse = arm(parse); JSON.stringify = arm(stringify);
const answer = glue(...args);
JSON.parse = parse; JSON.stringify = stringify;
console.log(JSON.stringify({ optimizedBefore, deoptedInCall, optimizedAfter: (status(glue) & OPTIMIZED) !== 0, answer: answer.type }));
`;

function runChild(glueName: string, args: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-warnings', '--import', REGISTER, '--input-type=module', '-e', child(glueName, args)], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('cedar-wasm under a lazy deopt of its optimized glue (V8 11.3 externref deopt bug)', () => {
  const cases: Array<[string, string]> = [
    ['policyToJson', `['permit(principal, action, resource);']`],
    ['statefulIsAuthorized', `[{ principal: { type: 'Lattice::Service', id: 'a/b' }, action: { type: 'Lattice::Action', id: 'AllowWildcard' }, resource: { type: 'Lattice::Mesh', id: 'inbound' }, context: {}, preparsedPolicySetId: 'lazy-deopt', entities: [] }]`],
  ];
  for (const [glueName, args] of cases) {
    it(`${glueName}: the process survives and answers`, () => {
      const r = runChild(glueName, args);
      const crash = /unreachable code|Fatal error/.test(r.stderr);
      assert.ok(!crash && r.code === 0, `child ${r.signal ? `killed by ${r.signal}` : `exited ${r.code}`}${crash ? ' with the V8 fatal error' : ''}:\n${r.stderr.slice(0, 1500)}`);
      const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      // The scenario really happened: optimized before, deoptimized from inside the Wasm call.
      assert.deepEqual(report, { optimizedBefore: true, deoptedInCall: true, optimizedAfter: false, answer: 'success' });
    });
  }
});
