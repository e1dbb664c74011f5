/** Small readers over untyped manifests, shared by the version folders. */
export type Obj = Record<string, unknown>;

export const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** `spec.nodes` of a LatticeCluster spec. */
export const nodesOf = (spec: Obj): Obj => asObj(spec.nodes);

/** Whether `path` (dotted) is present in `obj`. */
export function has(obj: Obj, path: string): boolean {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !(key in (cur as Obj))) return false;
    cur = (cur as Obj)[key];
  }
  return true;
}
