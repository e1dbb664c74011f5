import { loadClusterFixture } from '../fixtures/index.js';
import { createLatticeCluster, openCluster, waitForClusterPhaseAmong, type ClusterPhase, type LatticeCluster, type PhaseTransition } from '../kube/index.js';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { clientOf } from './cluster-ref.js';
import { ReadyMomentProbe, readyMoments } from './ready-moment.js';
import { kubeconfigThroughProxy, reachedThroughProxy } from './child-access.js';

export interface CreateChildInput {
  role: ClusterRole;
  parentRole: ClusterRole;
  fixturePath: string;
  /** Kubernetes version to create it at instead of the fixture's (upgrade scenario). */
  version?: string;
  onTransition?: (t: PhaseTransition) => void;
}

/**
 * Creates a child LatticeCluster on its parent and waits, watching the parent's copy from before
 * the create, until it is Ready; then fetches the child's kubeconfig through the provider.
 */
export async function createChildAndWait(deps: HierarchyDeps, input: CreateChildInput): Promise<ClusterContext> {
  const { run, log } = deps;
  const parent = run.clusters.require(input.parentRole);
  const parentClient = clientOf(parent);
  const fixture = loadClusterFixture(input.fixturePath);
  const manifest = structuredClone(fixture.manifest) as unknown as LatticeCluster;
  const version = input.version ?? fixture.version;
  if (input.version) (manifest.spec as { provider: { kubernetes: { version: string } } }).provider.kubernetes.version = input.version;

  const ctx = run.clusters.add({
    role: input.role, name: fixture.name, fixturePath: input.fixturePath, version, parentRole: input.parentRole, timeline: [], state: 'live',
  });
  const provider = run.providerFor(fixture.provider);
  const ref = { name: fixture.name, provider: fixture.provider, bootstrap: fixture.bootstrap, parentKubeconfig: parent.kubeconfigPath! };
  const wait = run.config.waits.clusterPhase;

  let kubeconfigPath: string | undefined;
  // The phase the parent reports for a pivoted child: Ready at 2026-01, Pivoted at 2026-04 (docs §3.2).
  const pivoted = run.spelling.clusters.pivotedPhaseOnParent as ClusterPhase;
  const viaProxy = reachedThroughProxy(run, fixture.provider);
  const moment = new ReadyMomentProbe(fixture.name, pivoted, async () => {
    kubeconfigPath = viaProxy ? await kubeconfigThroughProxy(run, fixture.name, deps.signal) : await provider.kubeconfigFor(ref);
    return openCluster(kubeconfigPath, fixture.name);
  });
  // Watch before creating so the very first phase is seen too.
  const phases = waitForClusterPhaseAmong({
    client: openCluster(parent.kubeconfigPath!, parent.name), name: fixture.name, phases: [pivoted],
    timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, signal: deps.signal,
    onTransition: (t) => {
      ctx.timeline.push({ phase: t.phase, at: t.at, ...(t.conditions[0]?.reason ? { reason: t.conditions[0].reason } : {}) });
      log(`${fixture.name} on ${parent.name}: ${t.phase}${t.message ? ` (${t.message})` : ''}`);
      moment.onTransition(t);
      input.onTransition?.(t);
    },
  });
  if (!viaProxy) provider.beginCapture?.(ref, deps.signal);
  log(`creating ${fixture.name} (${fixture.provider}, k8s ${version}) on ${parent.name}`);
  await createLatticeCluster(parentClient, manifest, { runId: run.config.runId });
  await phases;
  await moment.childClient();
  ctx.kubeconfigPath = kubeconfigPath!;
  readyMoments.set(ctx, moment.result());
  log(`${fixture.name} is ${pivoted} on ${parent.name}; its kubeconfig is at ${ctx.kubeconfigPath}`);
  return ctx;
}
