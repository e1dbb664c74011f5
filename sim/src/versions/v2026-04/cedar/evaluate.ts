/**
 * One Cedar request against the store's policy set, classified as upstream does
 * (cedar/engine.rs:355-407): Allow, or Deny with `ExplicitForbid` when a policy determined the
 * denial (only a forbid can) and `NoPermitPolicy` otherwise. No context (Context::empty()).
 */
import type { EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import type { ObjectStore } from '../../../apiserver/types.js';
import { cedarWasm } from './wasm.js';
import { policySetOf } from './policy-set.js';

/** engine.rs:66-73 */
export type CedarDenial = 'ExplicitForbid' | 'NoPermitPolicy' | 'InternalError';

export interface CedarVerdict {
  allowed: boolean;
  denial?: CedarDenial;
  /** Which policies decided (or why none did), for logs. */
  detail: string;
}

/** engine.rs:75-83: the text Lattice puts into its denial messages. */
export function denialText(v: CedarVerdict): string {
  switch (v.denial) {
    case 'ExplicitForbid': return 'access explicitly forbidden by policy';
    case 'InternalError': return `internal authorization error: ${v.detail}`;
    default: return 'no permit policy for this service and resource';
  }
}

export interface CedarRequest {
  principal: EntityJson;
  action: TypeAndId;
  resource: EntityJson;
  /** Further entities (a user's groups). */
  others?: EntityJson[];
}

export function evaluate(store: ObjectStore, req: CedarRequest): CedarVerdict {
  const set = policySetOf(store);
  const answer = cedarWasm().statefulIsAuthorized({
    principal: req.principal.uid, action: req.action, resource: req.resource.uid, context: {},
    preparsedPolicySetId: set.id,
    entities: [...(req.others ?? []), req.principal, req.resource],
  });
  if (answer.type === 'failure') {
    return { allowed: false, denial: 'InternalError', detail: answer.errors.map((e) => e.message).join('; ') };
  }
  const { decision, diagnostics } = answer.response;
  const errors = diagnostics.errors.length ? `; errors in ${diagnostics.errors.map((e) => e.policyId).join(', ')}` : '';
  if (decision === 'allow') return { allowed: true, detail: `permitted by ${diagnostics.reason.join(', ')}${errors}` };
  if (diagnostics.reason.length > 0) return { allowed: false, denial: 'ExplicitForbid', detail: `forbidden by ${diagnostics.reason.join(', ')}${errors}` };
  return { allowed: false, denial: 'NoPermitPolicy', detail: `no permit policy matched (${Object.keys(set.policies).length} loaded)${errors}` };
}
