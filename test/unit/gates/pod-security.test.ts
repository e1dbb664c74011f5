import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { containerSecurity, relaxationInEffect, restrictedDefaultsProblems } from '../../../support/gates/pod-security.js';
import { renderGateRecord } from '../../../support/gates/evidence.js';

const pod = (container: Record<string, unknown>, podCtx: Record<string, unknown> = {}): V1Pod =>
  ({ metadata: { name: 'p' }, spec: { securityContext: podCtx, containers: [{ name: 'main', ...container }] } }) as V1Pod;
const restricted = { securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } };

test('a container with Lattice\'s restricted defaults has no problems; the pod\'s runAsNonRoot counts when the container sets none', () => {
  assert.deepEqual(containerSecurity(pod(restricted)).flatMap(restrictedDefaultsProblems), []);
  assert.deepEqual(containerSecurity(pod({ securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }, { runAsNonRoot: true })).flatMap(restrictedDefaultsProblems), []);
});

test('each departure from the restricted defaults is named', () => {
  const problems = containerSecurity(pod({ securityContext: { runAsUser: 0, readOnlyRootFilesystem: false, capabilities: { drop: ['NET_RAW'], add: ['NET_ADMIN'] } } })).flatMap(restrictedDefaultsProblems);
  assert.equal(problems.length, 5);
  assert.match(problems.join('\n'), /runAsNonRoot is undefined/);
  assert.match(problems.join('\n'), /runs as user 0/);
  assert.match(problems.join('\n'), /readOnlyRootFilesystem is false/);
  assert.match(problems.join('\n'), /not ALL/);
  assert.match(problems.join('\n'), /added: NET_ADMIN/);
});

test('relaxations in effect: root, an added capability; the restricted pod has neither', () => {
  const [root] = containerSecurity(pod({ securityContext: { runAsUser: 0, runAsNonRoot: false } }));
  assert.equal(relaxationInEffect(root, 'run as root').holds, true);
  const [cap] = containerSecurity(pod({ securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } }));
  assert.equal(relaxationInEffect(cap, 'run with NET_ADMIN added').holds, true);
  const [plain] = containerSecurity(pod(restricted));
  assert.equal(relaxationInEffect(plain, 'run as root').holds, false);
  assert.equal(relaxationInEffect(plain, 'run with NET_ADMIN added').holds, false);
});

test('the gate record lists request, both verdicts and the consent in order, and says what was never reached', () => {
  const text = renderGateRecord({ title: 'x', request: 'kind: LatticeService', without: { phase: 'Failed', message: 'denied', at: 't1' }, consent: 'kind: CedarPolicy' });
  assert.ok(text.indexOf('1. Request') < text.indexOf('2. Verdict without') && text.indexOf('3. Consent') < text.indexOf('4. Verdict with'));
  assert.match(text, /Failed: denied \(seen t1\)/);
  assert.match(text, /4\. Verdict with it: \(not reached\)/);
});
