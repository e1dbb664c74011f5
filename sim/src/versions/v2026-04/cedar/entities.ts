/**
 * The Cedar entities and request parts Lattice builds at b5d50e90 (crates/lattice-cedar/src/
 * entities.rs): every type lives in the `Lattice` namespace, attributes are strings, no schema
 * (Entities::from_entities(.., None)), so policies are not validated against one.
 */
import type { EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';

/** entities.rs:13 */
const NAMESPACE = 'Lattice';

/** entities.rs:20-33 */
export const uid = (type: string, id: string): TypeAndId => ({ type: `${NAMESPACE}::${type}`, id });
export const action = (name: string): TypeAndId => uid('Action', name);

const entity = (type: string, id: string, attrs: Record<string, string> = {}, parents: TypeAndId[] = []): EntityJson =>
  ({ uid: uid(type, id), attrs, parents });

/** entities.rs:123-143: `Lattice::Service::"<ns>/<name>"` with namespace, name, kind. */
export const serviceEntity = (namespace: string, name: string, kind: string): EntityJson =>
  entity('Service', `${namespace}/${name}`, { namespace, name, kind });

/** entities.rs:212-216: `Lattice::Mesh::"inbound|outbound|advertise"`, no attributes. */
export const meshEntity = (direction: string): EntityJson => entity('Mesh', direction);

/** entities.rs:259-283: `Lattice::ExternalEndpoint::"<host>:<port>"`, the port as a string. */
export const externalEndpointEntity = (host: string, port: number, protocol: string): EntityJson =>
  entity('ExternalEndpoint', `${host}:${port}`, { host, port: String(port), protocol });

/** entities.rs:186-201: `Lattice::SecurityOverride::"<id>"` with category, override_id. */
export const securityOverrideEntity = (overrideId: string, category: string): EntityJson =>
  entity('SecurityOverride', overrideId, { category, override_id: overrideId });

/** entities.rs:229-245: `Lattice::Volume::"<ns>/<id>"` with namespace, volume_id. */
export const volumeEntity = (namespace: string, volumeId: string): EntityJson =>
  entity('Volume', `${namespace}/${volumeId}`, { namespace, volume_id: volumeId });

/** entities.rs:46-70: one `Lattice::Group` per group, the `Lattice::User` their child. */
export function userEntities(username: string, groups: string[]): EntityJson[] {
  const groupEntities = groups.map((g) => entity('Group', g));
  return [...groupEntities, entity('User', username, {}, groups.map((g) => uid('Group', g)))];
}

/** engine.rs:90-96 */
const ENVIRONMENT_LABEL = 'lattice.dev/environment';
const REGION_LABEL = 'lattice.dev/region';
const TIER_LABEL = 'lattice.dev/tier';
const DEFAULT_REGION = 'unknown';
const DEFAULT_TIER = 'standard';

/**
 * engine.rs:119-134 and entities.rs:82-109: `environment` only when labelled (so `resource has
 * environment` fails closed), region and tier always, with defaults.
 */
export function clusterEntity(name: string, labels: Record<string, string>): EntityJson {
  const attrs: Record<string, string> = {};
  if (labels[ENVIRONMENT_LABEL] !== undefined) attrs.environment = labels[ENVIRONMENT_LABEL];
  attrs.region = labels[REGION_LABEL] ?? DEFAULT_REGION;
  attrs.tier = labels[TIER_LABEL] ?? DEFAULT_TIER;
  return entity('Cluster', name, attrs);
}
