/**
 * The policy set a 2026-04 Lattice evaluates (cedar/engine.rs:476-526): every CedarPolicy of
 * `lattice-system`, inherited ones (label `lattice.dev/inherited: "true"`) before local ones, each
 * group by descending `priority`; disabled ones skipped; one whose text does not parse skipped
 * while the rest still load; each statement re-identified as `<object name>_policy<i>`.
 *
 * Upstream's engine is reloaded by a task of its own on every CedarPolicy watch event and every
 * 60 s (lattice-operator/src/main.rs:590-640), so a change reaches the gates and the proxy one watch
 * round-trip and a reload later, and a controller woken by its own CedarPolicy watch
 * (controller_runner.rs:572-579) may still meet the old set. Here the engine of a store loads its
 * set on first use and reloads it CEDAR_RELOAD_MS after each CedarPolicy change (a burst is one
 * reload), and every 60 s (a tenth, scaled by LATTICE_SIM_SPEED, as other requeues).
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { cedarWasm } from './wasm.js';
import { faultOn } from '../../../faults.js';
import { getSpeed } from '../../../clock.js';

export const CEDAR_API = 'lattice.dev/v1alpha1';
export const CEDAR_KIND = 'CedarPolicy';
/** lattice-core LATTICE_SYSTEM_NAMESPACE */
export const LATTICE_SYSTEM = 'lattice-system';
/** lattice-common/src/lib.rs:369 */
export const INHERITED_LABEL = 'lattice.dev/inherited';

export interface LoadedPolicySet {
  /** The id under which the set is preparsed in cedar-wasm (statefulIsAuthorized). */
  id: string;
  /** Policy id → text, in load order. */
  policies: Record<string, string>;
  /** CedarPolicy objects skipped because their text does not parse, with Cedar's first error. */
  skipped: Array<{ name: string; error: string }>;
}

/** One statement of a CedarPolicy's text, as Cedar splits it. */
export interface Statement { text: string; effect: 'permit' | 'forbid' }

/** Splits Cedar text into statements, or Cedar's parse errors (engine.rs:497, validation.rs:116). */
export function parseStatements(text: string): { ok: true; statements: Statement[] } | { ok: false; errors: string[] } {
  const parts = cedarWasm().policySetTextToParts(text);
  if (parts.type === 'failure') return { ok: false, errors: parts.errors.map((e) => e.message) };
  const statements: Statement[] = [];
  for (const p of parts.policies) {
    const json = cedarWasm().policyToJson(p);
    if (json.type === 'failure') return { ok: false, errors: json.errors.map((e) => e.message) };
    statements.push({ text: p, effect: json.json.effect });
  }
  return { ok: true, statements };
}

const isInherited = (o: KubeObject) => o.metadata.labels?.[INHERITED_LABEL] === 'true';
const priorityOf = (o: KubeObject) => (Number.isInteger(o.spec?.priority) ? (o.spec.priority as number) : 0);
/** crd/cedar_policy.rs:74-75: `enabled` defaults to true. */
const enabled = (o: KubeObject) => o.spec?.enabled !== false;

/** Where policies are read from: lattice-system, or (seeded fault) every namespace. */
function policyObjects(store: ObjectStore): KubeObject[] {
  if (!store.typeOf(CEDAR_API, CEDAR_KIND)) return [];
  const namespace = faultOn('cedar-policies-any-namespace') ? undefined : LATTICE_SYSTEM;
  return store.list(CEDAR_API, CEDAR_KIND, { namespace }).items;
}

/** engine.rs:480-492: inherited first, then local; within each, higher priority first (stable). */
export function loadOrder(objects: KubeObject[]): KubeObject[] {
  const byPriority = (a: KubeObject, b: KubeObject) => priorityOf(b) - priorityOf(a);
  return [...objects.filter(isInherited).sort(byPriority), ...objects.filter((o) => !isInherited(o)).sort(byPriority)];
}

let nextSetId = 0;

function build(objects: KubeObject[], id: string): LoadedPolicySet {
  const policies: Record<string, string> = {};
  const skipped: LoadedPolicySet['skipped'] = [];
  const dropForbids = faultOn('cedar-forbid-ignored');
  for (const o of loadOrder(objects)) {
    if (!enabled(o)) continue;
    const parsed = parseStatements(String(o.spec?.policies ?? ''));
    if (!parsed.ok) { skipped.push({ name: o.metadata.name, error: parsed.errors[0] ?? 'parse error' }); continue; }
    parsed.statements.forEach((s, i) => {
      const pid = `${o.metadata.name}_policy${i}`;
      if (pid in policies) return; // engine.rs:502-507: a duplicate id is skipped, the first kept
      if (dropForbids && s.effect === 'forbid') return;
      policies[pid] = s.text;
    });
  }
  const answer = cedarWasm().preparsePolicySet(id, { staticPolicies: policies });
  if (answer.type === 'failure') throw new Error(`Cedar refused the assembled policy set: ${answer.errors.map((e) => e.message).join('; ')}`);
  return { id, policies, skipped };
}

/** A watch round-trip and a reload, taken as 1 s upstream: a tenth, scaled by the speed. */
export const cedarReloadMs = (): number => 100 / getSpeed();
/** main.rs:595: the periodic reload, in the target's time. */
const periodicReloadMs = (): number => 6_000 / getSpeed();

interface Engine { set: LoadedPolicySet; key: string; faults: string; timer?: ReturnType<typeof setTimeout> }
const engines = new WeakMap<ObjectStore, Engine>();

const faultKey = () => `${faultOn('cedar-policies-any-namespace')},${faultOn('cedar-forbid-ignored')}`;
const objectsKey = (objects: KubeObject[]) => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).join(',');

/** engine.reload: list the objects and parse them again when anything changed. */
function reload(store: ObjectStore, e: Engine): void {
  const objects = policyObjects(store);
  const key = objectsKey(objects);
  const faults = faultKey();
  if (key === e.key && faults === e.faults) return;
  e.set = build(objects, e.set.id);
  e.key = key;
  e.faults = faults;
}

function startEngine(store: ObjectStore): Engine {
  const objects = policyObjects(store);
  const e: Engine = { set: build(objects, `store-${nextSetId++}`), key: objectsKey(objects), faults: faultKey() };
  engines.set(store, e);
  if (!store.typeOf(CEDAR_API, CEDAR_KIND)) return e;
  const run = () => { e.timer = undefined; reload(store, e); };
  store.watch(CEDAR_API, CEDAR_KIND, {}, () => { if (!e.timer) { e.timer = setTimeout(run, cedarReloadMs()); e.timer.unref?.(); } });
  const tick = () => { reload(store, e); setTimeout(tick, periodicReloadMs()).unref?.(); };
  setTimeout(tick, periodicReloadMs()).unref?.();
  return e;
}

/**
 * The set the store's engine has loaded: current as of its last reload, so a CedarPolicy written
 * just now is seen CEDAR_RELOAD_MS later. A seeded fault toggled in the meantime is applied at once.
 */
export function policySetOf(store: ObjectStore): LoadedPolicySet {
  const e = engines.get(store) ?? startEngine(store);
  if (e.faults !== faultKey()) { e.key = ''; reload(store, e); }
  return e.set;
}
