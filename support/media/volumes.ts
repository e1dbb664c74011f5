/**
 * What Lattice makes of the media services' volume declarations (lattice-facts §4.6, §6): a volume
 * entry with a `size` is owned (PVC `vol-<id>` when it has an `id`, shared; else `<svc>-<key>`,
 * private); an entry with an `id` and no size references the owner's shared volume, which pins the
 * referencing pod to the owner's node.
 */
import { FixtureError } from '../errors.js';
import type { LatticeServiceManifest } from '../mesh/lattice-objects.js';

export interface ExpectedClaim {
  /** PVC name. */
  name: string;
  /** The service that owns (creates) it. */
  owner: string;
  /** Its key in the owner's `spec.resources`. */
  key: string;
  size: string;
  accessMode: string;
  storageClass?: string;
  shared: boolean;
  /** The shared volume's id, for shared claims. */
  volumeId?: string;
}

export interface VolumeReference { service: string; key: string }

export interface SharedVolume {
  id: string;
  claim: string;
  owner: string;
  /** Pod label Lattice puts on the owner, the target of the references' required pod affinity. */
  ownerLabel: { key: string; value: 'true' };
  references: VolumeReference[];
  /** Who the owner lets mount it (`params.allowedConsumers`, 2026-04); absent where the version has no consent list. */
  allowedConsumers?: string[];
}

/** One reference must run on its owner's node. */
export interface ColocationRequirement { volumeId: string; claim: string; owner: string; reference: string }

export interface VolumeMountPoint {
  service: string;
  mountPath: string;
  claim: string;
  /** `path` of the mount (sub-folder of the claim), '' for the whole claim. */
  subPath: string;
  shared: boolean;
  readOnly: boolean;
}

export interface VolumePlan {
  claims: ExpectedClaim[];
  sharedVolumes: SharedVolume[];
  colocation: ColocationRequirement[];
  /** Services that must share one node (connected by owner/reference), each group sorted. */
  nodeGroups: string[][];
  mounts: VolumeMountPoint[];
}

export const DEFAULT_ACCESS_MODE = 'ReadWriteOnce';
export const sharedClaimName = (id: string): string => `vol-${id}`;
export const privateClaimName = (service: string, key: string): string => `${service}-${key}`;
/** The owner's pod label for a shared volume: the version's spelling (support/versions/service-spelling.ts) says which. */
export type VolumeOwnerLabel = (volumeId: string) => string;

const SOURCE = /^\$\{resources\.([A-Za-z0-9_.-]+)\}$/;

export function planVolumes(services: readonly LatticeServiceManifest[], volumeOwnerLabel: VolumeOwnerLabel): VolumePlan {
  const claims: ExpectedClaim[] = [];
  const shared = new Map<string, SharedVolume>();
  const refs: { id: string; ref: VolumeReference }[] = [];
  // service/key → claim name and whether it is shared.
  const claimOf = new Map<string, { claim: string; shared: boolean }>();

  for (const svc of services) {
    const name = svc.metadata.name;
    for (const [key, entry] of Object.entries(svc.spec.resources ?? {})) {
      if (entry.type !== 'volume') continue;
      const params = entry.params ?? {};
      const size = typeof params.size === 'string' ? params.size : undefined;
      if (size !== undefined) {
        const claim: ExpectedClaim = {
          name: entry.id ? sharedClaimName(entry.id) : privateClaimName(name, key), owner: name, key, size,
          accessMode: typeof params.accessMode === 'string' ? params.accessMode : DEFAULT_ACCESS_MODE,
          shared: entry.id !== undefined,
        };
        if (typeof params.storageClass === 'string') claim.storageClass = params.storageClass;
        if (entry.id) {
          claim.volumeId = entry.id;
          const prior = shared.get(entry.id);
          if (prior) throw new FixtureError(`volume ${entry.id} is owned by both ${prior.owner} and ${name}`, 'give a shared volume a size in one service only');
          const vol: SharedVolume = { id: entry.id, claim: claim.name, owner: name, ownerLabel: { key: volumeOwnerLabel(entry.id), value: 'true' }, references: [] };
          if (Array.isArray(params.allowedConsumers)) vol.allowedConsumers = params.allowedConsumers.map(String);
          shared.set(entry.id, vol);
        }
        claims.push(claim);
        claimOf.set(`${name}/${key}`, { claim: claim.name, shared: claim.shared });
      } else if (entry.id) {
        refs.push({ id: entry.id, ref: { service: name, key } });
        claimOf.set(`${name}/${key}`, { claim: sharedClaimName(entry.id), shared: true });
      } else {
        throw new FixtureError(`${name}: volume resource ${key} has neither a size (owned) nor an id (reference)`, 'set params.size to own it or id to share another service\'s volume');
      }
    }
  }
  for (const { id, ref } of refs) {
    const vol = shared.get(id);
    if (!vol) throw new FixtureError(`${ref.service}: volume resource ${ref.key} references ${id}, which no service owns`, `give one service a ${id} volume with a size`);
    // 2026-04 refuses a reference the owner did not consent to (workload/authorization/volumes.rs:69-123 at b5d50e90).
    if (vol.allowedConsumers && !vol.allowedConsumers.includes(ref.service) && !vol.allowedConsumers.some((c) => c.endsWith(`/${ref.service}`))) {
      throw new FixtureError(`${ref.service}: volume resource ${ref.key} references ${id}, but its owner ${vol.owner} does not list ${ref.service} in allowedConsumers`, `add ${ref.service} to ${vol.owner}'s params.allowedConsumers`);
    }
    vol.references.push(ref);
  }
  const sharedVolumes = [...shared.values()];
  const colocation = sharedVolumes.flatMap((v) => v.references.map((r) => ({ volumeId: v.id, claim: v.claim, owner: v.owner, reference: r.service })));

  const mounts: VolumeMountPoint[] = [];
  for (const svc of services) {
    const name = svc.metadata.name;
    for (const container of Object.values(svc.spec.containers)) {
      for (const [mountPath, mount] of Object.entries(container.volumes ?? {})) {
        if (mount.source === undefined) continue; // an emptyDir: the pod's own scratch space, no claim
        const key = SOURCE.exec(mount.source)?.[1];
        const target = key === undefined ? undefined : claimOf.get(`${name}/${key}`);
        if (!target) throw new FixtureError(`${name}: mount ${mountPath} has source ${JSON.stringify(mount.source)}, which names no volume resource`, 'use ${resources.<volume key>}');
        mounts.push({ service: name, mountPath, claim: target.claim, subPath: mount.path ?? '', shared: target.shared, readOnly: mount.readOnly ?? false });
      }
    }
  }
  return { claims, sharedVolumes, colocation, nodeGroups: groupNodes(services.map((s) => s.metadata.name), colocation), mounts };
}

function groupNodes(names: string[], colocation: ColocationRequirement[]): string[][] {
  const parent = new Map(names.map((n) => [n, n]));
  const find = (n: string): string => { let r = n; while (parent.get(r) !== r) r = parent.get(r) ?? r; parent.set(n, r); return r; };
  for (const c of colocation) parent.set(find(c.reference), find(c.owner));
  const groups = new Map<string, string[]>();
  for (const n of names) { const r = find(n); groups.set(r, [...(groups.get(r) ?? []), n]); }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort());
}
