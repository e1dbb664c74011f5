/**
 * The platform's AccessCluster permit for one service account (integration/cedar.rs:95-114: the
 * user is `system:serviceaccount:<ns>:<sa>`, the resource `Lattice::Cluster::"<name>"`), as a
 * CedarPolicy in lattice-system (the only namespace Lattice loads, cedar/engine.rs:476-520).
 */
import { cedarPolicy, type LatticeObject } from '../gates/lattice-service.js';

export function serviceAccountUser(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

export function accessClusterPermit(input: { namespace: string; serviceAccount: string; cluster: string; runId: string }): LatticeObject {
  const user = serviceAccountUser(input.namespace, input.serviceAccount);
  const text = `permit(\n  principal == Lattice::User::"${user}",\n  action == Lattice::Action::"AccessCluster",\n  resource == Lattice::Cluster::"${input.cluster}"\n);`;
  const policy = cedarPolicy(`permit-access-${input.serviceAccount}-${input.cluster}`, input.runId, text, 100);
  policy.metadata.labels['lattice.dev/test'] = 'proxy-access';
  return policy;
}
