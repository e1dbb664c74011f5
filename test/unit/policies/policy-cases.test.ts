import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { policyCase, serviceForbid } from '../../../support/policies/index.js';

describe('policy cases of cedar-policies.feature', () => {
  it('forbid: the subject is permitted and forbidden in lattice-system, the control only permitted, both before any deploy', () => {
    const c = policyCase('forbid', { namespace: 'policy-forbid', subject: 'catalog', control: 'shelf', runId: 'r1' });
    assert.deepEqual(c.policies.map((p) => p.metadata.namespace), ['lattice-system', 'lattice-system']);
    const [subjectPolicy, controlPolicy] = c.policies.map((p) => String(p.spec?.policies));
    assert.match(subjectPolicy!, /^permit\(\n  principal == Lattice::Service::"policy-forbid\/catalog"/);
    assert.match(subjectPolicy!, /\nforbid\(\n  principal == Lattice::Service::"policy-forbid\/catalog",\n  action == Lattice::Action::"AllowWildcard",\n  resource == Lattice::Mesh::"inbound"\n\);$/);
    assert.doesNotMatch(controlPolicy!, /forbid\(|catalog/);
    assert.deepEqual((c.subjectService.spec as { workload: { resources: unknown } }).workload.resources, { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } });
  });

  it('elsewhere: the subject\'s permit sits outside lattice-system, the control\'s inside', () => {
    const c = policyCase('elsewhere', { namespace: 'policy-elsewhere', subject: 'catalog', control: 'shelf', runId: 'r1', elsewhereNamespace: 'policy-outside' });
    assert.deepEqual(c.policies.map((p) => p.metadata.namespace), ['policy-outside', 'lattice-system']);
    assert.match(String(c.policies[0]!.spec?.policies), /"policy-elsewhere\/catalog"/);
    assert.doesNotMatch(String(c.policies[0]!.spec?.policies), /forbid\(/);
  });

  it('refuses a case that could not judge anything, in one line naming the input', () => {
    assert.throws(() => policyCase('elsewhere', { namespace: 'n', subject: 'a', control: 'b', runId: 'r', elsewhereNamespace: 'lattice-system' }), /namespace outside lattice-system is "lattice-system"/);
    assert.throws(() => policyCase('forbid', { namespace: 'n', subject: 'a', control: 'a', runId: 'r' }), /subject and control are both "a"/);
    assert.equal(serviceForbid('n', 's', 'A', 'R').split('\n')[0], 'forbid(');
  });
});

describe('the access point\'s kubeconfig', () => {
  it('lists the cluster names of the JSON document, and refuses anything else in one line', async () => {
    const { kubeconfigClusters } = await import('../../../support/policies/index.js');
    assert.deepEqual(kubeconfigClusters(JSON.stringify({ kind: 'Config', clusters: [{ name: 'e2e-workload' }, { name: 'e2e-mgmt' }] })), ['e2e-mgmt', 'e2e-workload']);
    assert.deepEqual(kubeconfigClusters('{"kind":"Config"}'), []);
    assert.throws(() => kubeconfigClusters('<html>'), /not JSON: <html>/);
  });
});
