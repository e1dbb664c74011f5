/**
 * 2026-04 (b5d50e90) mesh LatticeServices: the workload under `spec.workload` (docs §5.1),
 * integer `replicas`, a probe runs curl with the probe script and has no `service` block, a server
 * listens on 8080 behind Service port 80 (mesh_fixtures.rs:127-139, :218-260). Externals are inline
 * entries, so no object stands beside the services. Deliberate difference: no
 * `imagePullSecrets: [default]` (upstream's ImageProvider exists only with GHCR credentials,
 * cli/commands/install.rs:1046-1120; the suite pulls public images).
 */
import { LATTICE_API_VERSION } from '../../../mesh/lattice-objects.js';
import type { LatticeObject, MeshMemberInput } from '../../service-spelling.js';
import { generatorContainer, serverContainer, SERVER_PORT, SERVER_TARGET_PORT } from './mesh-containers.js';
import { spellResources } from './resources.js';

export function meshService2026_04(member: MeshMemberInput): LatticeObject {
  const probe = member.probeScript !== undefined;
  const workload: Record<string, unknown> = {
    containers: { main: probe ? generatorContainer(member.probeScript!) : serverContainer() },
    resources: spellResources(member.resources, member.externals),
  };
  if (!probe) workload.service = { ports: { http: { port: SERVER_PORT, targetPort: SERVER_TARGET_PORT } } };
  return {
    apiVersion: LATTICE_API_VERSION, kind: 'LatticeService',
    metadata: { name: member.name, namespace: member.namespace, labels: { ...member.labels } },
    spec: { workload, replicas: 1 },
  };
}
