import type { ClusterRole } from './roles.js';
import type { PhaseTransition } from '../report/phase-timeline.js';

/** What the run knows about one cluster of the hierarchy. */
export interface ClusterContext {
  role: ClusterRole;
  /** `metadata.name` of its LatticeCluster. */
  name: string;
  /** Absolute path of the fixture it was made from. */
  fixturePath: string;
  /** Kubernetes version it was created at (fixtures may be overridden, e.g. by the upgrade scenario). */
  version: string;
  /** Workers asked for on its own copy after creation, when the scenario changed the fixture's count. */
  workers?: number;
  /** Role of the cluster it was created on; absent for the management cluster. */
  parentRole?: ClusterRole;
  /** Kubeconfig reaching its API from here, once known. */
  kubeconfigPath?: string;
  /** Phases its parent's copy went through while it was created. */
  timeline: PhaseTransition[];
  /** `live` until deleted/uninstalled (`gone`) or abruptly destroyed (`destroyed`). */
  state: 'live' | 'gone' | 'destroyed';
}

/**
 * Clusters outlive scenarios: a full run builds each once and tag-filtered runs build only what
 * they need. The registry is run-scoped (not in any scenario's World) and keyed by role.
 */
export class ClusterRegistry {
  private readonly byRole = new Map<ClusterRole, ClusterContext>();

  get(role: ClusterRole): ClusterContext | undefined {
    const c = this.byRole.get(role);
    return c && c.state === 'live' ? c : undefined;
  }

  /** Like `get`, but a missing cluster is a mistake in the scenario's order of steps. */
  require(role: ClusterRole): ClusterContext {
    const c = this.get(role);
    if (!c) throw new Error(`no live ${role} cluster in this run; a step creating it must come first`);
    return c;
  }

  /** Any record of the role, live or not (for diagnostics and for steps checking what is gone). */
  record(role: ClusterRole): ClusterContext | undefined { return this.byRole.get(role); }

  add(ctx: ClusterContext): ClusterContext { this.byRole.set(ctx.role, ctx); return ctx; }

  mark(role: ClusterRole, state: ClusterContext['state']): void {
    const c = this.byRole.get(role);
    if (c) c.state = state;
  }

  /** Live clusters, children before parents (the order in which they must be torn down). */
  liveLeafFirst(): ClusterContext[] {
    const order: ClusterRole[] = ['workload2', 'workload', 'management'];
    return order.map((r) => this.get(r)).filter((c): c is ClusterContext => c !== undefined);
  }

  /** Every cluster ever recorded, for diagnostics. */
  all(): ClusterContext[] { return [...this.byRole.values()]; }
}
