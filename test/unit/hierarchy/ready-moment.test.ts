import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterClient, PhaseTransition } from '../../../support/kube/index.js';
import { ReadyMomentProbe, describeReadyMoment } from '../../../support/hierarchy/ready-moment.js';

const t = (phase: PhaseTransition['phase']): PhaseTransition => ({ phase, at: new Date(), conditions: [] });
const fakeClient = { name: 'child' } as unknown as ClusterClient;

test('the child is read on the first Ready with the client fetched from Pivoting on; what it held then is the reading', async () => {
  let opened = 0;
  let held = false;
  const probe = new ReadyMomentProbe('child', 'Ready', async () => { opened++; return fakeClient; }, async () => held);
  probe.onTransition(t('Pending'));
  probe.onTransition(t('Provisioning'));
  assert.equal(opened, 0, 'no kubeconfig before Pivoting: the child has no API yet');
  probe.onTransition(t('Pivoting'));
  assert.equal(opened, 1);
  await new Promise((r) => setImmediate(r));
  probe.onTransition(t('Ready')); // the child does not hold it yet: a Ready written before the import
  await new Promise((r) => setImmediate(r));
  held = true;                    // ...which arrives later
  probe.onTransition(t('Ready'));
  const m = await probe.result()!;
  assert.equal(m.childHoldsCapiCluster, false);
  assert.equal(m.kubeconfigAtHand, true);
  assert.equal(await probe.childClient(), fakeClient);
  assert.equal(opened, 1, 'the kubeconfig is fetched once');
  assert.match(describeReadyMoment(m), /^child at the parent's first Ready: CAPI Cluster NOT held by the child \(read \d+ ms after Ready\)$/);
});

test('without Ready there is no reading; a Ready seen first fetches the kubeconfig then and says so', async () => {
  const none = new ReadyMomentProbe('c', 'Ready', async () => fakeClient, async () => true);
  none.onTransition(t('Failed'));
  assert.equal(none.result(), undefined);
  const late = new ReadyMomentProbe('c', 'Ready', async () => fakeClient, async () => true);
  late.onTransition(t('Ready'));
  const m = await late.result()!;
  assert.equal(m.kubeconfigAtHand, false);
  assert.match(describeReadyMoment(m), /kubeconfig fetched only then/);
});

test('at 2026-04 the parent\'s Pivoted is the moment: a Ready there (never written for a child) is not', async () => {
  const fakeClient = {} as never;
  const probe = new ReadyMomentProbe('child', 'Pivoted', async () => fakeClient, async () => true);
  probe.onTransition({ phase: 'Ready', at: new Date(), conditions: [] });
  assert.equal(probe.result(), undefined);
  probe.onTransition({ phase: 'Pivoted', at: new Date(), conditions: [] });
  assert.equal((await probe.result())?.childHoldsCapiCluster, true);
});
