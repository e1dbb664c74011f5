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
const POLICY_SET = new URL('../../src/versions/v2026-04/cedar/policy-set.ts', import.meta.url).href;

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

/**
 * Child program without natives, as the daemon met it: the CedarPolicy parse (status controller,
 * engine reload) gets hot on one policy shape, then install's policies bring answers of new shapes,
 * and Cedar's JSON.parse of them, inside the Wasm call, invalidates the optimized caller.
 */
const naturalChild = `
import { parseStatements } from ${JSON.stringify(POLICY_SET)};
const warm = 'permit(principal, action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");';
let n = 0;
for (let i = 0; i < 3000; i++) { const r = parseStatements(warm); if (r.ok) n += r.statements.length; }
const fresh = [
  'permit(principal == Lattice::User::"system:serviceaccount:lattice-system:lattice-admin", action == Lattice::Action::"AccessCluster", resource);',
  '@id("x") forbid(principal in Lattice::Group::"g", action, resource) when { resource.labels has "a" } unless { principal.kind == "job" };',
];
const effects = fresh.map((t) => { const r = parseStatements(t); return r.ok ? r.statements.map((s) => s.effect).join() : 'invalid'; });
console.log(JSON.stringify({ warm: n, effects }));
`;

function runChild(glueName: string, args: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  return runProgram(['--allow-natives-syntax'], child(glueName, args));
}

function runProgram(flags: string[], program: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...flags, '--no-warnings', '--import', REGISTER, '--input-type=module', '-e', program], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('cedar-wasm under a lazy deopt of its optimized glue (V8 11.3 externref deopt bug)', () => {
  const cases: Array<[string, string]> = [
    ['policyToJson', `['permit(principal, action, resource);']`],
    ['statefulIsAuthorized', `[{ principal: { type: 'Lattice::Service', id: 'a/b' }, action: { type: 'Lattice::Action', id: 'AllowWildcard' }, resource: { type: 'Lattice::Mesh', id: 'inbound' }, context: {}, preparsedPolicySetId: 'lazy-deopt', entities: [] }]`],
  ];
  const assertSurvived = (r: ReturnType<typeof runChild>) => {
    const crash = /unreachable code|Fatal error/.test(r.stderr);
    assert.ok(!crash && r.code === 0, `child ${r.signal ? `killed by ${r.signal}` : `exited ${r.code}`}${crash ? ' with the V8 fatal error' : ''}:\n${r.stderr.slice(0, 1500)}`);
  };
  it('parseStatements hot on one policy shape, then new shapes (no natives, as in the daemon): survives', () => {
    const r = runProgram([], naturalChild);
    assertSurvived(r);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'), { warm: 3000, effects: ['permit', 'forbid'] });
  });
  for (const [glueName, args] of cases) {
    it(`${glueName} deoptimized from inside its Wasm call: the process survives and answers`, () => {
      const r = runChild(glueName, args);
      assertSurvived(r);
      const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      // The scenario really happened: optimized before, deoptimized from inside the Wasm call.
      assert.deepEqual(report, { optimizedBefore: true, deoptedInCall: true, optimizedAfter: false, answer: 'success' });
    });
  }
});
