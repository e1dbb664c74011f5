/**
 * YAML parsing that refuses alias bombs. js-yaml keeps an alias as a second reference to its
 * anchor's node, so a 1 KB document of nested aliases parses in microseconds and then expands to
 * billions of nodes when it is serialized or walked (the daemon ran out of memory at 4 GB).
 * Kubernetes' decoder (go-yaml) refuses such input: "yaml: document contains excessive aliasing".
 */
import * as yaml from 'js-yaml';

/** Expanded weight (nodes plus scalar characters) a document may reach: far above any 3 MiB body. */
export const MAX_EXPANDED_WEIGHT = 16 * 1024 * 1024;

export class ExcessiveAliasingError extends Error {
  constructor() { super('yaml: document contains excessive aliasing'); }
}

/**
 * The weight of `doc` with every alias expanded: one per node plus each string's length. Shared
 * nodes are weighed once and counted per reference, so this takes time linear in the parsed size;
 * it stops at `limit` (and at a cycle) by returning Infinity. The suite has its own weigher
 * (support/fixtures/yaml-expansion.ts) on purpose: the target and the suite share no code.
 */
export function expandedWeight(doc: unknown, limit = MAX_EXPANDED_WEIGHT): number {
  const memo = new Map<object, number>();
  const open = new Set<object>();
  const weigh = (node: unknown): number => {
    if (typeof node === 'string') return 1 + node.length;
    if (node === null || typeof node !== 'object') return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return Infinity;
    open.add(node);
    let total = 1;
    for (const [key, value] of Object.entries(node)) {
      total += key.length + weigh(value);
      if (total > limit) break;
    }
    open.delete(node);
    memo.set(node, total);
    return total;
  };
  const w = weigh(doc);
  return w > limit ? Infinity : w;
}

/** Like yaml.load, but throws ExcessiveAliasingError for a document that expands beyond the limit. */
export function loadYamlBounded(text: string, limit = MAX_EXPANDED_WEIGHT): unknown {
  const doc = yaml.load(text);
  if (expandedWeight(doc, limit) === Infinity) throw new ExcessiveAliasingError();
  return doc;
}
