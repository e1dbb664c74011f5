import { EMBEDDED_PROBE_TIMING, UPSTREAM_PROBE_TIMING, renderTruthTableHtml, renderTruthTableText, summarizeVerification, type ProbeTiming, type TrafficVerification } from '../mesh/index.js';
import type { ClusterClient } from '../kube/index.js';
import type { RunContext } from '../run/run-context.js';
import type { ServiceSpelling } from '../versions/service-spelling.js';
import { CleanupStack } from '../cleanup/cleanup-stack.js';
import { acceptEveryDeclaredExternal } from '../mesh/index.js';
import { deleteNamespaceAndWait } from '../workloads/namespace.js';
import { serviceSpellingOf } from '../workloads/run-services.js';
import { deployMeshAndWait } from './deploy-mesh.js';
import { observeTrafficUntilComplete } from './observe-traffic.js';
import { meshTailLines, type MeshUnderTest } from './mesh-under-test.js';

/** The mesh as the run's version lets it be: where declaring an external is its agreement, every declarer is accepted. */
export function meshAsSpelled<M extends MeshUnderTest>(mesh: M, spelling: ServiceSpelling = serviceSpellingOf()): M {
  return spelling.externalAcceptance === 'declaration' ? acceptEveryDeclaredExternal(mesh) : mesh;
}

export interface MeshCheckResult { verification: TrafficVerification; text: string; html: string; summary: string }

/**
 * Probe timing for the run's target: upstream's figures on real clusters, short ones on the
 * embedded target. `watchClosely` probes several times a second there, so that cycles fall inside
 * events as short as one node's roll.
 */
export function probeTimingFor(run: RunContext, opts: { watchClosely?: boolean } = {}): ProbeTiming {
  if (run.config.target === 'real') return UPSTREAM_PROBE_TIMING;
  return opts.watchClosely ? { ...EMBEDDED_PROBE_TIMING, intervalSeconds: 0.2 } : EMBEDDED_PROBE_TIMING;
}

/** Deploys a mesh, waits for readiness, reads traffic until a complete cycle per source, verifies. */
export async function runMeshCheck(
  run: RunContext, client: ClusterClient, given: MeshUnderTest,
  opts: { title: string; podsWait: 'meshPods' | 'randomMeshPods'; log: (l: string) => void; removeAfter?: boolean },
): Promise<MeshCheckResult> {
  const spelling = serviceSpellingOf(run);
  const mesh = meshAsSpelled(given, spelling);
  const held = new CleanupStack();
  try {
    const { readyAt } = await deployMeshAndWait({ client, mesh, runId: run.config.runId, spelling, timing: probeTimingFor(run), pods: run.config.waits[opts.podsWait], log: opts.log, cleanup: held, signal: run.signal });
    const verification = await observeTrafficUntilComplete({
      client, mesh, since: readyAt, tailLines: meshTailLines(mesh),
      wait: run.config.waits.meshVerdicts, log: opts.log, signal: run.signal,
    });
    return { verification, text: renderTruthTableText(verification), html: renderTruthTableHtml(verification, opts.title), summary: summarizeVerification(verification) };
  } finally {
    if (opts.removeAfter) await deleteNamespaceAndWait(client, mesh.declarations.namespace, run.config.waits.deployments).catch((e: Error) => opts.log(`removing ${mesh.declarations.namespace}: ${e.message}`));
    for (const line of await held.runAll()) opts.log(line);
  }
}
