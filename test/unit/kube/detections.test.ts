import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { recordDetection } from '../../../support/kube/detections.js';
import { scratch } from '../../helpers/scratch.js';

test('detections are appended as JSON lines only when a file is named', (t) => {
  const dir = scratch(t, 'det-');
  const file = join(dir, 'd.ndjson');
  recordDetection({ cluster: 'c', resource: 'r', condition: 'x', noticedAt: 1, initial: false }, undefined);
  assert.equal(existsSync(file), false);
  recordDetection({ cluster: 'c', resource: 'r', condition: 'x', resourceVersion: '7', noticedAt: 2, initial: false }, file);
  recordDetection({ cluster: 'c', resource: 'r', condition: 'y', noticedAt: 3, initial: true }, file);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.condition, l.resourceVersion, l.initial]), [['x', '7', false], ['y', undefined, true]]);
});
