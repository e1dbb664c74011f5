/**
 * The gates of features/cedar-gates.feature as data: which services a scenario deploys, what opens
 * the gate and what the scenario then observes. Pure, so the unit tests can hold each case to its
 * upstream lines (docs/LATTICE-2026-04.md §5.3).
 */
import { SuiteError } from '../errors.js';
import {
  cedarPolicy, curlContainer, idleScript, latticeService, serverContainer, servicePermit, type LatticeObject,
} from './lattice-service.js';

type Obj = Record<string, unknown>;

/** What opens a gate: the platform's permit, or (shared volumes) the owner's consent. */
export type Consent =
  | { by: 'platform'; permit: LatticeObject }
  | { by: 'owner'; owner: string; grant: Obj; revoke: Obj };

export interface GateCase {
  /** One line for notes and the report. */
  title: string;
  namespace: string;
  /** The service the gate judges. */
  subject: string;
  /** Every service the scenario deploys, in order (a volume's owner before its consumer). */
  services: LatticeObject[];
  consent: Consent;
}

const MOUNT = '/shelf';

/** `subject` accepts any caller (`id: "*"`, docs §5.5) and `caller` calls it: AllowWildcard on Mesh "inbound". */
export function anyCallerGate(namespace: string, subject: string, caller: string, runId: string): GateCase {
  return {
    title: `${subject} accepts calls from any caller`, namespace, subject,
    services: [
      latticeService({ name: subject, namespace, runId, container: serverContainer(), serves: true,
        resources: { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } } }),
      latticeService({ name: caller, namespace, runId, container: curlContainer(idleScript()),
        resources: { [subject]: { type: 'service', direction: 'outbound' } } }),
    ],
    consent: { by: 'platform', permit: cedarPolicy(`permit-wildcard-inbound-${namespace}-${subject}`, runId,
      servicePermit(namespace, subject, 'AllowWildcard', 'Lattice::Mesh::"inbound"')) },
  };
}

/** The resource key and `host:port` of an inline external endpoint (external_endpoint.rs:63-105: https ⇒ 443, http ⇒ 80). */
export function endpointOf(url: string): { key: string; host: string; port: number; id: string } {
  const m = /^(https?):\/\/([a-z0-9.-]+)(?::(\d+))?\/?$/i.exec(url);
  if (!m) throw new SuiteError(`external endpoint ${JSON.stringify(url)} is not an http(s)://host[:port] URL`, 'write it as https://host or http://host:port');
  const host = m[2].toLowerCase();
  const port = m[3] ? Number(m[3]) : m[1].toLowerCase() === 'https' ? 443 : 80;
  return { key: host.split('.')[0], host, port, id: `${host}:${port}` };
}

/** `subject` calls an endpoint outside the cluster: AccessExternalEndpoint on ExternalEndpoint "host:port". */
export function externalEndpointGate(namespace: string, subject: string, url: string, runId: string): GateCase {
  const ep = endpointOf(url);
  return {
    title: `${subject} calls ${url}`, namespace, subject,
    services: [latticeService({ name: subject, namespace, runId, container: curlContainer(idleScript()),
      resources: { [ep.key]: { type: 'external-service', direction: 'outbound', params: { endpoints: { [ep.key]: url } } } } })],
    consent: { by: 'platform', permit: cedarPolicy(`permit-ext-${namespace}-${subject}`, runId,
      servicePermit(namespace, subject, 'AccessExternalEndpoint', `Lattice::ExternalEndpoint::"${ep.id}"`), 100) },
  };
}

/** A relaxation in the feature's words → the container's security fields and Lattice's override id (security.rs:35-250). */
export function relaxationOf(words: string): { security: Obj; overrideId: string } {
  if (words === 'run as root') return { security: { runAsUser: 0 }, overrideId: 'runAsRoot' };
  const cap = /^add the ([A-Z_]+) capability$/.exec(words);
  if (cap) return { security: { capabilities: [cap[1]] }, overrideId: `capability:${cap[1]}` };
  throw new SuiteError(`unknown relaxation "${words}"`, 'write "run as root" or "add the <CAPABILITY> capability"');
}

/** `subject` relaxes its container's security: OverrideSecurity on SecurityOverride "<id>". */
export function securityGate(namespace: string, subject: string, relaxation: string, runId: string): GateCase {
  const r = relaxationOf(relaxation);
  return {
    title: `${subject} asks to ${relaxation}`, namespace, subject,
    services: [latticeService({ name: subject, namespace, runId, container: curlContainer(idleScript(), r.security) })],
    consent: { by: 'platform', permit: cedarPolicy(`permit-security-${namespace}-${subject}`, runId,
      servicePermit(namespace, subject, 'OverrideSecurity', `Lattice::SecurityOverride::"${r.overrideId}"`)) },
  };
}

/**
 * `owner` owns the shared volume `volumeId` (a volume with `id` and `size`), listing nobody as an
 * allowed consumer; `consumer` references it (`id`, no `size`). The owner's consent is the list
 * (authorization/volumes.rs:69-123), changed by a merge patch of the owner's resource.
 */
export function sharedVolumeGate(namespace: string, owner: string, volumeId: string, consumer: string, runId: string): GateCase {
  const ownerVolume = (allowedConsumers: string[]) => ({ [volumeId]: { type: 'volume', id: volumeId, params: { size: '1Gi', accessMode: 'ReadWriteOnce', allowedConsumers } } });
  const mount = { [MOUNT]: { source: `\${resources.${volumeId}}` } };
  const patch = (allowed: string[]) => ({ spec: { workload: { resources: ownerVolume(allowed) } } });
  return {
    title: `${consumer} mounts ${owner}'s shared volume ${volumeId}`, namespace, subject: consumer,
    services: [
      latticeService({ name: owner, namespace, runId, container: curlContainer(idleScript(), {}, mount), resources: ownerVolume([]) }),
      latticeService({ name: consumer, namespace, runId, container: curlContainer(idleScript(), {}, mount),
        resources: { [volumeId]: { type: 'volume', id: volumeId } } }),
    ],
    consent: { by: 'owner', owner, grant: patch([consumer]), revoke: patch([]) },
  };
}

/** A server with no security block and no declaration that needs anyone's consent. */
export function plainService(namespace: string, name: string, runId: string): LatticeObject {
  return latticeService({ name, namespace, runId, container: serverContainer(), serves: true });
}

/** Where the volume gate's services mount the shared volume. */
export const SHARED_MOUNT = MOUNT;
