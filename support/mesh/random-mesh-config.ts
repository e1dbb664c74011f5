/**
 * Settings of the random mesh (lattice-facts §4.5, sizes from the spec's 10–20 services) and how
 * they are read from the environment. A missing seed is picked here and must be printed by the
 * caller so the run can be replayed.
 */
import { randomInt } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { MAX_SEED } from './prng.js';

export interface ExternalTarget { name: string; url: string }

/** The five externals of §4.5 (endpoint key `default`, resolution `dns`). */
export const DEFAULT_EXTERNALS: readonly ExternalTarget[] = [
  { name: 'httpbin', url: 'https://httpbin.org/status/200' },
  { name: 'example', url: 'https://example.com' },
  { name: 'google', url: 'https://www.google.com' },
  { name: 'cloudflare', url: 'https://one.one.one.one' },
  { name: 'github', url: 'https://github.com' },
];

export interface RandomMeshConfig {
  namespace: string;
  minServices: number;
  maxServices: number;
  layers: number;
  /** p that a (shallower, deeper) pair gets an outbound declaration. */
  outboundP: number;
  /** p that a declared outbound is matched by the callee's inbound. */
  bilateralP: number;
  /** p that a deeper service accepts `*` (0 at the spec's commit; upstream later used 0.15). */
  wildcardInboundP: number;
  externals: readonly ExternalTarget[];
  /** p that a frontend declares an external. */
  externalOutboundP: number;
  /** p that a declared external lists the frontend in allowedRequesters. */
  externalAllowP: number;
  /** Non-dependencies probed per deeper layer (expected blocked). */
  nonDependenciesPerLayer: number;
  /** Undeclared externals probed per frontend (expected blocked). */
  undeclaredExternalsPerSource: number;
  /**
   * p that a service is named after the one before it in its layer plus `-v2` (`api-0`, `api-0-v2`),
   * so one name is a prefix of another. Not upstream's (its names are `<layer>-<i>`): the promise is
   * that Lattice matches whole names (principals `<td>/ns/<ns>/sa/<name>`, policy/mod.rs:463-466).
   */
  lookalikeNameP: number;
}

export const DEFAULT_RANDOM_MESH_CONFIG: Readonly<RandomMeshConfig> = Object.freeze({
  namespace: 'random-mesh',
  minServices: 10,
  maxServices: 20,
  layers: 5,
  outboundP: 0.3,
  bilateralP: 0.6,
  wildcardInboundP: 0,
  externals: DEFAULT_EXTERNALS,
  externalOutboundP: 0.3,
  externalAllowP: 0.6,
  nonDependenciesPerLayer: 3,
  undeclaredExternalsPerSource: 2,
  lookalikeNameP: 0.2,
});

export const MIN_LAYERS = 2;
export const MAX_LAYERS = 26;
export const MAX_SERVICES = 10_000;

export const ENV_SEED = 'LATTICE_RANDOM_MESH_SEED';
export const ENV_MIN_SERVICES = 'LATTICE_RANDOM_MESH_MIN_SERVICES';
export const ENV_MAX_SERVICES = 'LATTICE_RANDOM_MESH_MAX_SERVICES';
export const ENV_LAYERS = 'LATTICE_RANDOM_MESH_LAYERS';

export interface RandomMeshSettings {
  config: RandomMeshConfig;
  /** From LATTICE_RANDOM_MESH_SEED, or undefined. */
  seed?: number;
}

function readInt(env: NodeJS.ProcessEnv, name: string, lo: number, hi: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (!/^\d+$/.test(text) || Number(text) < lo || Number(text) > hi) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not an integer in ${lo}..${hi}`, `set ${name} to a whole number in that range or unset it`);
  }
  return Number(text);
}

/** Checks a config's internal consistency; throws ConfigError naming the setting at fault. */
export function validateRandomMeshConfig(c: RandomMeshConfig): RandomMeshConfig {
  const fail = (what: string, fix: string): never => { throw new ConfigError(`random mesh: ${what}`, fix); };
  if (!Number.isInteger(c.layers) || c.layers < MIN_LAYERS || c.layers > MAX_LAYERS) fail(`layers=${c.layers} is outside ${MIN_LAYERS}..${MAX_LAYERS}`, `set ${ENV_LAYERS} accordingly`);
  if (!Number.isInteger(c.minServices) || c.minServices < c.layers) fail(`minServices=${c.minServices} is below the ${c.layers} layers (each layer needs a service)`, `raise ${ENV_MIN_SERVICES} or lower ${ENV_LAYERS}`);
  if (!Number.isInteger(c.maxServices) || c.maxServices < c.minServices || c.maxServices > MAX_SERVICES) fail(`maxServices=${c.maxServices} is outside ${c.minServices}..${MAX_SERVICES}`, `set ${ENV_MAX_SERVICES} to at least ${ENV_MIN_SERVICES}`);
  for (const [k, p] of [['outboundP', c.outboundP], ['bilateralP', c.bilateralP], ['wildcardInboundP', c.wildcardInboundP], ['externalOutboundP', c.externalOutboundP], ['externalAllowP', c.externalAllowP], ['lookalikeNameP', c.lookalikeNameP]] as const) {
    if (!(p >= 0 && p <= 1)) fail(`${k}=${p} is not a probability`, 'use a number in 0..1');
  }
  if (!Number.isInteger(c.nonDependenciesPerLayer) || c.nonDependenciesPerLayer < 0) fail(`nonDependenciesPerLayer=${c.nonDependenciesPerLayer}`, 'use a whole number ≥ 0');
  if (!Number.isInteger(c.undeclaredExternalsPerSource) || c.undeclaredExternalsPerSource < 0) fail(`undeclaredExternalsPerSource=${c.undeclaredExternalsPerSource}`, 'use a whole number ≥ 0');
  const names = new Set(c.externals.map((e) => e.name));
  if (names.size !== c.externals.length) fail('external names repeat', 'give each external a distinct name');
  return c;
}

/** Reads the LATTICE_RANDOM_MESH_* variables over the defaults; bad values throw ConfigError naming the variable. */
export function readRandomMeshSettings(env: NodeJS.ProcessEnv = process.env, base: RandomMeshConfig = DEFAULT_RANDOM_MESH_CONFIG): RandomMeshSettings {
  const seed = readInt(env, ENV_SEED, 0, MAX_SEED);
  const layers = readInt(env, ENV_LAYERS, MIN_LAYERS, MAX_LAYERS) ?? base.layers;
  const minServices = readInt(env, ENV_MIN_SERVICES, 1, MAX_SERVICES) ?? base.minServices;
  const maxRaw = readInt(env, ENV_MAX_SERVICES, 1, MAX_SERVICES);
  // Raising only the minimum drags the default maximum along, so `MIN=500` alone means 500.
  const maxServices = maxRaw ?? Math.max(base.maxServices, minServices);
  if (minServices < layers) throw new ConfigError(`${ENV_MIN_SERVICES}=${minServices} is below ${ENV_LAYERS}=${layers}`, 'every layer needs at least one service');
  if (maxServices < minServices) throw new ConfigError(`${ENV_MAX_SERVICES}=${maxServices} is below ${ENV_MIN_SERVICES}=${minServices}`, 'raise the maximum or lower the minimum');
  const config = validateRandomMeshConfig({ ...base, layers, minServices, maxServices });
  return seed === undefined ? { config } : { config, seed };
}

/** The given seed, or a fresh one (crypto, not Math.random); `picked` tells the caller to print it. */
export function resolveSeed(seed: number | undefined): { seed: number; picked: boolean } {
  return seed === undefined ? { seed: randomInt(0, MAX_SEED), picked: true } : { seed, picked: false };
}
