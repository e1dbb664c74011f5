/**
 * The random layered mesh of lattice-facts §4.5, driven only by a seeded PRNG: the same seed and
 * config give the same services, declarations and checks on any machine.
 */
import { agreementBetween, explainAgreement, indexDeclarations, serviceResources, type ExternalDeclaration, type MeshDeclarations, type ServiceDeclaration } from './agreement.js';
import { serviceUrl, type MeshCheck } from './checks.js';
import { createPrng, type Prng } from './prng.js';
import { ENV_SEED, readRandomMeshSettings, resolveSeed, validateRandomMeshConfig, type RandomMeshConfig } from './random-mesh-config.js';

export interface RandomMesh {
  seed: number;
  config: RandomMeshConfig;
  namespace: string;
  /** Service names per layer; layer 0 are the frontends. */
  layers: string[][];
  declarations: MeshDeclarations;
  /** The generator pods (frontends). */
  sources: string[];
  /** Deploy order, deepest layer first (§4.5; externals go before all of them). */
  tiers: string[][];
  checks: MeshCheck[];
}

const CANONICAL_LAYER_NAMES = ['frontend', 'gateway', 'api', 'backend'];

/** Name prefixes per layer: upstream's five for 5 layers; first is `frontend`, last is `data`. */
export function layerNames(layers: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < layers - 1; i++) names.push(CANONICAL_LAYER_NAMES[i] ?? `tier${i}`);
  names.push('data');
  return names;
}

/**
 * Layer sizes for n services in L layers (§4.5): base = ⌊n/L⌋; layer 0 = base + U[0, ⌊base/2⌋];
 * middle layers = base + U[0, ⌊base/3⌋]; each capped so every later layer keeps ≥ 1; the last
 * layer takes the remainder.
 */
export function layerSizes(n: number, layers: number, rng: Prng): number[] {
  if (n < layers) throw new RangeError(`${n} services cannot fill ${layers} layers`);
  const base = Math.floor(n / layers);
  const sizes: number[] = [];
  let used = 0;
  for (let i = 0; i < layers - 1; i++) {
    const extra = rng.int(0, Math.floor(base / (i === 0 ? 2 : 3)));
    const cap = n - used - (layers - 1 - i);
    const size = Math.max(1, Math.min(base + extra, cap));
    sizes.push(size);
    used += size;
  }
  sizes.push(n - used);
  return sizes;
}

/** A stream of its own for the names, so a seed wires the same mesh whatever the lookalike p. */
const NAME_STREAM = 0x9e3779b9;

/**
 * `<layer>-<i>` per layer (lattice-facts §4.5); with p a service instead takes the name of the one
 * before it plus `-v2` (only after an upstream-style name, so names stay short and distinct).
 */
export function serviceNames(sizes: readonly number[], prefixes: readonly string[], lookalikeP: number, seed: number): string[][] {
  const rng = createPrng((seed ^ NAME_STREAM) >>> 0);
  return sizes.map((size, li) => {
    const names: string[] = [];
    for (let i = 0; i < size; i++) {
      const prev = names[i - 1];
      const lookalike = lookalikeP > 0 && rng.chance(lookalikeP) && prev !== undefined && !prev.endsWith('-v2');
      names.push(lookalike ? `${prev}-v2` : `${prefixes[li]}-${i}`);
    }
    return names;
  });
}

export function generateRandomMesh(configIn: RandomMeshConfig, seed: number): RandomMesh {
  const config = validateRandomMeshConfig(configIn);
  const rng = createPrng(seed);
  const ns = config.namespace;
  const n = rng.int(config.minServices, config.maxServices);
  const prefixes = layerNames(config.layers);
  const layers = serviceNames(layerSizes(n, config.layers, rng), prefixes, config.lookalikeNameP, seed);
  const all = layers.flat();

  const outbound = new Map<string, string[]>(all.map((s) => [s, []]));
  const inbound = new Map<string, string[]>(all.map((s) => [s, []]));
  const externalsOf = new Map<string, string[]>(all.map((s) => [s, []]));

  // Wildcard acceptance is drawn first, so a p of 0 leaves the spec's wiring sequence unchanged.
  if (config.wildcardInboundP > 0) {
    for (const s of all.slice(layers[0]?.length ?? 0)) if (rng.chance(config.wildcardInboundP)) inbound.get(s)?.push('*');
  }
  // Every (shallower, deeper) pair: outbound with p, then the matching inbound with p.
  for (let li = 0; li < layers.length - 1; li++) {
    for (const caller of layers[li] ?? []) {
      for (let lj = li + 1; lj < layers.length; lj++) {
        for (const callee of layers[lj] ?? []) {
          if (!rng.chance(config.outboundP)) continue;
          outbound.get(caller)?.push(callee);
          if (rng.chance(config.bilateralP)) inbound.get(callee)?.push(caller);
        }
      }
    }
  }
  // Externals: only frontends declare them; each declaration is accepted with p.
  const frontends = layers[0] ?? [];
  const externals: ExternalDeclaration[] = config.externals.map((e) => ({ name: e.name, url: e.url, allowedRequesters: [] }));
  for (const f of frontends) {
    for (const ext of externals) {
      if (!rng.chance(config.externalOutboundP)) continue;
      externalsOf.get(f)?.push(ext.name);
      if (rng.chance(config.externalAllowP)) ext.allowedRequesters.push(f);
    }
  }

  const services: ServiceDeclaration[] = all.map((name) => ({
    name,
    resources: serviceResources(outbound.get(name) ?? [], inbound.get(name) ?? [], externalsOf.get(name) ?? []),
  }));
  // The platform permits every wildcard it drew, as upstream's deploy does (mesh_random.rs:552-566 at b5d50e90).
  const anyCallerPermitted = all.filter((s) => (inbound.get(s) ?? []).includes('*'));
  const declarations: MeshDeclarations = { namespace: ns, services, externals, anyCallerPermitted };
  const index = indexDeclarations(declarations);
  const urlOfExternal = new Map(externals.map((e) => [e.name, e.url]));

  const checks: MeshCheck[] = [];
  const check = (source: string, target: string, kind: 'service' | 'external'): void => {
    const a = agreementBetween(index, source, target);
    const url = kind === 'service' ? serviceUrl(target, ns) : (urlOfExternal.get(target) ?? '');
    checks.push({ source, target, url, kind, expected: a.allowed ? 'ALLOWED' : 'BLOCKED', reason: explainAgreement(a) });
  };
  for (const f of frontends) {
    const deps = outbound.get(f) ?? [];
    const depSet = new Set(deps);
    for (const t of deps) check(f, t, 'service');
    for (let lj = 1; lj < layers.length; lj++) {
      const nonDeps = (layers[lj] ?? []).filter((s) => !depSet.has(s));
      for (const t of rng.sample(nonDeps, config.nonDependenciesPerLayer)) check(f, t, 'service');
    }
    const peers = frontends.filter((p) => p !== f);
    for (const p of rng.sample(peers, 1)) check(f, p, 'service');
    const declared = externalsOf.get(f) ?? [];
    const declaredSet = new Set(declared);
    for (const e of declared) check(f, e, 'external');
    const undeclared = externals.map((e) => e.name).filter((e) => !declaredSet.has(e));
    for (const e of rng.sample(undeclared, config.undeclaredExternalsPerSource)) check(f, e, 'external');
  }

  return { seed, config, namespace: ns, layers, declarations, sources: [...frontends], tiers: [...layers].reverse(), checks };
}

/** Reads LATTICE_RANDOM_MESH_* and generates; `seedPicked` means no seed was given and the caller must print `mesh.seed`. */
export function generateRandomMeshFromEnv(env: NodeJS.ProcessEnv = process.env): { mesh: RandomMesh; seedPicked: boolean } {
  const settings = readRandomMeshSettings(env);
  const { seed, picked } = resolveSeed(settings.seed);
  return { mesh: generateRandomMesh(settings.config, seed), seedPicked: picked };
}

/** One line for the scenario log: the seed and how to replay it, then the mesh's size. */
export function describeRandomMesh(mesh: RandomMesh): string {
  const allowed = mesh.checks.filter((c) => c.expected === 'ALLOWED').length;
  return `random mesh seed ${mesh.seed} (replay: ${ENV_SEED}=${mesh.seed}): ${mesh.layers.flat().length} services in layers ${mesh.layers.map((l) => l.length).join('/')}, `
    + `${mesh.declarations.externals.length} externals, ${mesh.sources.length} generator pods, ${mesh.checks.length} checks (${allowed} allowed, ${mesh.checks.length - allowed} blocked)`;
}
