import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportError, parseReport, renderScores, renderSurvivors, scoreByArea, snippet, type MutationReport } from '../../../scripts/mutants/summary.js';

const at = (line: number, column: number, endLine: number, endColumn: number) => ({ start: { line, column }, end: { line: endLine, column: endColumn } });

const report: MutationReport = {
  files: {
    'sim/src/services/compile.ts': {
      source: 'const open = !opts.open;\nif (a &&\n    b) go();\n',
      mutants: [
        { id: '1', mutatorName: 'BooleanLiteral', replacement: 'opts.open', location: at(1, 14, 1, 24), status: 'Survived' },
        { id: '2', mutatorName: 'LogicalOperator', replacement: 'a || b', location: at(2, 5, 3, 6), status: 'NoCoverage' },
        { id: '3', mutatorName: 'ConditionalExpression', replacement: 'true', location: at(1, 14, 1, 24), status: 'Killed' },
        { id: '4', mutatorName: 'ConditionalExpression', replacement: 'false', location: at(1, 14, 1, 24), status: 'Timeout' },
        { id: '5', mutatorName: 'StringLiteral', replacement: '""', location: at(1, 1, 1, 2), status: 'Ignored', statusReason: 'log line' },
        { id: '6', mutatorName: 'StringLiteral', replacement: '""', location: at(1, 1, 1, 2), status: 'RuntimeError' },
      ],
    },
    'sim/src/lifecycle/operator.ts': { source: 'x', mutants: [{ id: '7', mutatorName: 'BlockStatement', replacement: '{}', location: at(1, 1, 1, 2), status: 'Killed' }] },
    'sim/src/kinds/crds.ts': { source: 'x', mutants: [{ id: '8', mutatorName: 'StringLiteral', replacement: '""', location: at(1, 1, 1, 2), status: 'Ignored' }] },
  },
};

test('score per area counts killed and timed out over everything valid; ignored and errors are left out', () => {
  const scores = scoreByArea(report);
  assert.deepEqual(scores.map((s) => [s.area, s.score, s.killed, s.timeout, s.survived, s.noCoverage, s.ignored, s.errors, s.total]), [
    ['services-2026-01', 50, 1, 1, 1, 1, 1, 1, 6],
    ['lifecycle', 100, 1, 0, 0, 0, 0, 0, 1],
    ['kinds', undefined, 0, 0, 0, 0, 1, 0, 1],
  ]);
});

test('survivors name file:line:column, the mutator, the original text and the replacement', () => {
  const [services] = scoreByArea(report);
  assert.deepEqual(services!.survivors.map((v) => [v.line, v.column, v.mutator, v.original, v.replacement, v.status]), [
    [1, 14, 'BooleanLiteral', '!opts.open', 'opts.open', 'Survived'],
    [2, 5, 'LogicalOperator', 'a && b', 'a || b', 'NoCoverage'],
  ]);
  const text = renderSurvivors(scoreByArea(report));
  assert.match(text, /^survivors in services-2026-01 \(2\):$/m);
  assert.match(text, /^ {2}sim\/src\/services\/compile.ts:1:14 {2}BooleanLiteral {2}!opts.open → opts.open$/m);
  assert.match(text, /compile.ts:2:5 {2}LogicalOperator \(no coverage\) {2}a && b → a \|\| b/);
  assert.doesNotMatch(text, /lifecycle|kinds/);
  assert.match(renderScores(scoreByArea(report)), /^services-2026-01 +50\.0 % +1 +1 +1 +1 +1 +1 +6$/m);
  assert.match(renderScores(scoreByArea(report)), /^kinds +n\/a/m);
});

test('long originals are shortened to one line', () => {
  assert.equal(snippet('a\n  ' + 'x'.repeat(100) + '\n', { line: 2, column: 3 }, { line: 2, column: 103 }, 10), 'xxxxxxxxx…');
});

test('a report that is not Stryker JSON is one line naming the file', () => {
  assert.throws(() => parseReport('{', 'r.json'), (e: unknown) => e instanceof ReportError && /^r.json is not JSON/.test((e as Error).message));
  assert.throws(() => parseReport('{"schemaVersion":"2"}', 'r.json'), /r.json has no "files"/);
  assert.equal(Object.keys(parseReport(JSON.stringify(report), 'r.json').files).length, 3);
});
