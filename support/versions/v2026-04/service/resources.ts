/**
 * The suite's declarations spelled as 2026-04 `spec.workload.resources` entries (docs §5.1, §5.5):
 * a service entry is keyed by its target with no `id` (upstream's outbound_dep/inbound_allow,
 * mesh_fixtures.rs:140-160); a caller wildcard is `any-caller: {id: "*"}` because a key must be a
 * DNS label (mesh_fixtures.rs:160-171); an external is inline, its URL under `params.endpoints`
 * (mesh_fixtures.rs:188-206).
 */
import type { ExternalDeclaration, ResourceEntry } from '../../../mesh/agreement.js';

export const ANY_CALLER_KEY = 'any-caller';
export const ANY_CALLER_ID = '*';

/** One entry of the suite's model as [key, entry] of 2026-04. */
export function spellResource(key: string, entry: ResourceEntry): [string, ResourceEntry] {
  if (entry.type === 'service' && (key === '*' || entry.id === '*')) {
    return [ANY_CALLER_KEY, { type: 'service', direction: entry.direction ?? 'inbound', id: ANY_CALLER_ID }];
  }
  const spelled: ResourceEntry = structuredClone(entry);
  if (spelled.id === key) delete spelled.id;
  return [key, spelled];
}

/** All entries; an `external-service` entry gets its URL inline (the 2026-01 model keeps it on the external). */
export function spellResources(resources: Record<string, ResourceEntry>, externals: readonly ExternalDeclaration[]): Record<string, ResourceEntry> {
  const urls = new Map(externals.map((e) => [e.name, e.url]));
  const out: Record<string, ResourceEntry> = {};
  for (const [key, entry] of Object.entries(resources)) {
    const [k, e] = spellResource(key, entry);
    if (e.type === 'external-service') {
      const target = entry.id ?? key;
      const url = urls.get(target);
      if (url !== undefined) e.params = { ...(e.params ?? {}), endpoints: { default: url } };
      // The target name is the key (or the id when the key was renamed); only the endpoint counts at 2026-04.
      if (e.id === undefined && k !== target) e.id = target;
    }
    out[k] = e;
  }
  return out;
}
