import { MEDIA_NAMESPACE, MEDIA_SERVICES, markerCommand, judgeMarkerRead, type MediaModel } from '../media/index.js';
import type { ClusterClient } from '../kube/index.js';
import type { RunContext } from '../run/run-context.js';
import { CleanupStack } from '../cleanup/cleanup-stack.js';
import { deleteNamespaceAndWait } from './namespace.js';
import { callFrom, deployMediaStack, execInService, listClaims, loadMediaStack, nodesOfServices, waitForMediaAvailable, waitForMediaWaypoint } from './media-stack.js';
import { serviceSpellingOf } from './run-services.js';

/** Every media check of facts §4.6 in one go, for the pivot scenario's parallel run. */
export async function runMediaCheck(run: RunContext, client: ClusterClient, log: (l: string) => void): Promise<{ problems: string[]; model: MediaModel }> {
  const spelling = serviceSpellingOf(run);
  const { manifests, model } = loadMediaStack(run.config.runId, spelling);
  const problems: string[] = [];
  const held = new CleanupStack();
  try {
    await deployMediaStack(client, manifests, run.config.runId, held, log, spelling);
    await waitForMediaAvailable(client, MEDIA_SERVICES, run.config.waits.deployments);
    const claims = await listClaims(client, MEDIA_NAMESPACE);
    for (const c of model.volumes.claims) {
      const seen = claims.find((x) => x.name === c.name);
      if (!seen) problems.push(`claim ${c.name} missing`);
      else if (seen.size !== c.size) problems.push(`claim ${c.name} is ${seen.size}, expected ${c.size}`);
    }
    if (claims.filter((c) => c.name.startsWith('vol-')).length !== 1) problems.push(`expected exactly one shared claim, saw ${claims.filter((c) => c.name.startsWith('vol-')).map((c) => c.name).join(', ') || 'none'}`);
    const nodes = await nodesOfServices(client, MEDIA_NAMESPACE, MEDIA_SERVICES);
    for (const group of model.volumes.nodeGroups) {
      const where = new Set(group.map((s) => nodes[s]));
      if (where.size !== 1 || where.has(undefined)) problems.push(`${group.join(', ')} are not on one node: ${group.map((s) => `${s}@${nodes[s] ?? 'unscheduled'}`).join(', ')}`);
    }
    for (const step of model.markers) {
      const r = await execInService(client, MEDIA_NAMESPACE, step.service, markerCommand(step).at(-1)!);
      if (step.kind === 'write') { if (r.exitCode !== 0) problems.push(`${step.service} could not write ${step.path}: ${r.stderr.trim()}`); continue; }
      const j = judgeMarkerRead(step, r.stdout);
      if (!j.ok) problems.push(j.detail);
    }
    await waitForMediaWaypoint(client, model, run.config.waits.waypoint).catch((e: Error) => problems.push(e.message));
    for (const c of model.checks) {
      const got = await callFrom(client, MEDIA_NAMESPACE, c.source, c.url);
      if (got.verdict !== c.expected) problems.push(`${c.source} -> ${c.target}: expected ${c.expected}, got ${got.verdict} (HTTP ${got.code})`);
    }
  } finally {
    await deleteNamespaceAndWait(client, MEDIA_NAMESPACE, run.config.waits.deployments).catch((e: Error) => log(`removing ${MEDIA_NAMESPACE}: ${e.message}`));
    for (const line of await held.runAll()) log(line);
  }
  return { problems, model };
}
