import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain JavaScript shared with cucumber.js and scripts/e2e.mjs, no declarations
import { checkArgs, readArgs } from '../../../support/cucumber/cli-guard.mjs';

const PROFILES = ['default', 'all-providers', 'aws', 'docker'];
const check = (args: string[], env: Record<string, string> = {}): string[] => checkArgs(args, PROFILES, env);

test('a good command line has no problem, in every spelling of the options', () => {
  assert.deepEqual(check(['--tags', '@mesh and not @random-mesh', '-p', 'default']), []);
  assert.deepEqual(check(['--tags=@pivot', '--profile=all-providers', '--parallel', '1']), []);
  assert.deepEqual(check(['--profile', 'aws'], { LATTICE_TARGET: 'real' }), []);
  assert.deepEqual(readArgs(['-t', '@a', '--tags=@b', '-c', 'x.js']), { profiles: [], tags: ['@a', '@b'], parallel: undefined, config: 'x.js', problems: [] });
});

test('each bad input is one line naming it and the fix', () => {
  const one = (args: string[], re: RegExp, env?: Record<string, string>) => {
    const p = check(args, env);
    assert.equal(p.length, 1, p.join('\n'));
    assert.doesNotMatch(p[0]!, /\n/);
    assert.match(p[0]!, re);
  };
  one(['--tags', '@mesh and ('], /--tags "@mesh and \(" is not a tag expression \(.+\); write e\.g\./);
  one(['--tags=not'], /is not a tag expression/);
  one(['--profile', 'nope'], /unknown profile "nope"; use one of default, all-providers, aws, docker/);
  one(['--parallel', '2'], /--parallel 2: .*split the features across CI jobs/);
  one(['--profile', 'aws'], /--profile aws runs AWS clusters and needs LATTICE_TARGET=real .*use --tags @aws/);
  one(['--tags'], /--tags needs a value/);
});
