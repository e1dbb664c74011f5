/**
 * The cases of features/cedar-policies.feature as data: which Cedar policies the platform writes and
 * where, which service proves they were loaded (the control), and which service the case judges.
 * Lattice loads only the CedarPolicy objects of lattice-system (b5d50e90 cedar/engine.rs:477) and
 * Cedar's forbid wins over any permit (docs/LATTICE-2026-04.md §5.3).
 */
import { SuiteError } from '../errors.js';
import { cedarPolicy, latticeService, serverContainer, servicePermit, type LatticeObject } from '../gates/lattice-service.js';

/** The Cedar resource every wildcard-inbound check names (mm/controller.rs:334-373). */
const WILDCARD_INBOUND = 'Lattice::Mesh::"inbound"';
const ALLOW_WILDCARD = 'AllowWildcard';

export type PolicyCaseKind = 'forbid' | 'elsewhere';

export interface PolicyCase {
  kind: PolicyCaseKind;
  namespace: string;
  /** The service whose wildcard the case judges: it must stay Failed. */
  subject: string;
  /** A service permitted in lattice-system alone: once it is Ready, Lattice has loaded every policy written before. */
  control: string;
  /** Written in this order, before any service is deployed. */
  policies: LatticeObject[];
  subjectService: LatticeObject;
  controlService: LatticeObject;
}

/** `forbid` of one action on one resource for one service (the permit's shape with Cedar's other effect). */
export function serviceForbid(namespace: string, service: string, action: string, resource: string): string {
  return servicePermit(namespace, service, action, resource).replace(/^permit\(/, 'forbid(');
}

/** A service accepting calls from any caller (`id: "*"`), which needs AllowWildcard on Mesh "inbound". */
function anyCallerService(namespace: string, name: string, runId: string): LatticeObject {
  return latticeService({ name, namespace, runId, container: serverContainer(), serves: true,
    resources: { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } } });
}

/**
 * `forbid`: lattice-system permits the wildcard to subject and control and forbids it to subject.
 * `elsewhere`: a permit for subject written in `elsewhereNamespace`, one for control in lattice-system.
 */
export function policyCase(kind: PolicyCaseKind, input: { namespace: string; subject: string; control: string; runId: string; elsewhereNamespace?: string }): PolicyCase {
  const { namespace, subject, control, runId } = input;
  if (subject === control) throw new SuiteError(`policy case: subject and control are both ${JSON.stringify(subject)}`, 'name two different services');
  const permitOf = (svc: string) => servicePermit(namespace, svc, ALLOW_WILDCARD, WILDCARD_INBOUND);
  const controlPermit = cedarPolicy(`permit-wildcard-${namespace}-${control}`, runId, permitOf(control));
  let first: LatticeObject;
  if (kind === 'forbid') {
    first = cedarPolicy(`forbid-wildcard-${namespace}-${subject}`, runId, `${permitOf(subject)}\n${serviceForbid(namespace, subject, ALLOW_WILDCARD, WILDCARD_INBOUND)}`);
  } else {
    const where = input.elsewhereNamespace;
    if (!where || where === 'lattice-system') throw new SuiteError(`policy case: the namespace outside lattice-system is ${JSON.stringify(where)}`, 'name a namespace other than lattice-system');
    first = cedarPolicy(`permit-wildcard-${namespace}-${subject}`, runId, permitOf(subject));
    first = { ...first, metadata: { ...first.metadata, namespace: where } };
  }
  return {
    kind, namespace, subject, control,
    policies: [first, controlPermit],
    subjectService: anyCallerService(namespace, subject, runId),
    controlService: anyCallerService(namespace, control, runId),
  };
}
