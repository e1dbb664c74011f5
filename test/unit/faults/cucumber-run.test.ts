import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSource, profileTags, repoRoot, runPool } from '../../../scripts/faults/cucumber-run.js';

test('a run\'s config has absolute paths, the transpile cache as loader, a message stream and the given tags', async () => {
  const src = configSource({ tags: '(not @wip) and (@mesh and not @random-mesh)', failFast: true }, '/repo');
  const mod = await import(`data:text/javascript,${encodeURIComponent(src)}`) as { default: Record<string, unknown> };
  const c = mod.default;
  assert.deepEqual(c.paths, ['/repo/features/**/*.feature']);
  assert.deepEqual(c.import, ['/repo/support/cucumber/**/*.ts', '/repo/step-definitions/**/*.ts']);
  assert.deepEqual(c.loader, ['file:///repo/scripts/faults/ts-cache-hooks.mjs']);
  assert.ok((c.format as string[]).includes('message:reports/cucumber.ndjson'));
  assert.deepEqual([c.tags, c.failFast, c.strict], ['(not @wip) and (@mesh and not @random-mesh)', true, true]);
  const real = (await import(`data:text/javascript,${encodeURIComponent(configSource({ tags: '@x' }))}`) as { default: { loader: string[] } }).default;
  assert.ok(existsSync(fileURLToPath(real.loader[0]!)), 'the loader file exists');
});

test('the default profile\'s tags are read from cucumber.js', async () => {
  assert.match(await profileTags('default'), /not @aws/);
  await assert.rejects(profileTags('no-such-profile'), /no profile "no-such-profile"/);
  assert.ok(existsSync(`${repoRoot}/cucumber.js`));
});

test('the pool never runs more than its concurrency and keeps results in input order', async () => {
  let running = 0;
  let peak = 0;
  const out = await runPool([5, 1, 4, 2, 3], 2, async (n) => {
    running++; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n * 5));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});
