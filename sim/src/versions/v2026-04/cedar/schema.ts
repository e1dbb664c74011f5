/**
 * CedarPolicy's structural schema as kube-derive generates it from crd/cedar_policy.rs:31-128
 * (schemars 1.x, kube 3.1): `policies` is the one required field; `priority` (0), `enabled` (true)
 * and `propagate` (true) carry serde defaults, which the schema states and the API server applies;
 * status fields with `#[serde(default)]` default too (phase Pending, counts 0). Unknown fields are
 * pruned. No admission webhook validates CedarPolicy (webhook/config.rs:124-180 lists none).
 */
import type { KindSchema, KubeObject } from '../../../apiserver/types.js';
import { arr, bool, int, obj, prune, str, validate } from '../../../kinds/validate.js';

const spec = obj({ description: str(), policies: str(), priority: int(), enabled: bool(), propagate: bool() }, ['policies']);

/** cedar_policy.rs:118-128 */
export const CEDAR_POLICY_PHASES = ['Pending', 'Valid', 'Invalid'];
const status = obj({
  phase: str({ enum: CEDAR_POLICY_PHASES }), message: str(), permitCount: int({ min: 0 }), forbidCount: int({ min: 0 }),
  lastValidated: str(), validationErrors: arr(str()), observedGeneration: int(),
});

/** The schema's `default`s (cedar_policy.rs:69-80, :88-101), filled where a field is absent. */
const SPEC_DEFAULTS = { priority: 0, enabled: true, propagate: true };
const STATUS_DEFAULTS = { phase: 'Pending', permitCount: 0, forbidCount: 0 };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
function withDefaults(value: unknown, defaults: Record<string, unknown>): unknown {
  if (!isObject(value)) return value;
  const out = { ...value };
  for (const [k, d] of Object.entries(defaults)) if (out[k] === undefined || out[k] === null) out[k] = d;
  return out;
}

export const CEDAR_POLICY_SCHEMA: KindSchema = {
  validate: (o) => [
    ...validate(spec, o.spec, 'spec'),
    ...(o.status !== undefined && o.status !== null ? validate(status, o.status, 'status') : []),
  ],
  prune: (o) => {
    const out: KubeObject = { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata };
    if (o.spec !== undefined) out.spec = withDefaults(prune(spec, o.spec), SPEC_DEFAULTS);
    if (o.status !== undefined) out.status = withDefaults(prune(status, o.status), STATUS_DEFAULTS);
    return out;
  },
};
