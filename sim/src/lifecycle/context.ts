/** What one cluster's controllers share: its own store, and the infrastructure it runs on. */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import type { Infrastructure } from './infrastructure.js';

export interface ClusterContext {
  readonly name: string;
  readonly store: ObjectStore;
  readonly infra: Infrastructure;
  /** Aborted when the cluster's infrastructure goes: every controller of the cluster stops. */
  readonly signal: AbortSignal;
  /**
   * CAPI clusters whose objects this cluster keeps but no longer reconciles (moved to the cluster
   * itself); in memory only, as upstream neither deletes nor pauses the parent's copies.
   */
  readonly movedAway: Set<string>;
  /** What registered addons run on this cluster (the service runtime may roll nodes). */
  readonly addons: ReadonlyArray<{ rollNodes?: (o: RollRequest) => Promise<RollOutcome> }>;
  /**
   * Bootstrap manifests this cluster's operator hands to a new child's first control-plane node
   * (set by the operator once it runs; empty before).
   */
  bootstrapManifestsFor: (child: string) => KubeObject[];
  log(message: string): void;
}

/** In-process stand-in for the agent ↔ cell gRPC stream between a child and its parent. */
export interface PivotPayload {
  /** The parent's LatticeCluster for the child (spec and labels travel; status does not). */
  cluster: KubeObject;
  /** The CAPI objects of `capi-<child>` as `clusterctl move --to-directory` writes them. */
  objects: KubeObject[];
}

export interface AgentHandle {
  readonly cluster: string;
  importPivot(payload: PivotPayload): Promise<void>;
  /** 2026-04: the parent's DeleteCluster command (the agent deletes its own LatticeCluster). */
  deleteCluster?(): void;
  /** 2026-04: the agent's heartbeat counts. */
  health?(): { readyControlPlane: number; readyWorkers: number };
}

export interface Cell {
  readonly cluster: string;
  connect(agent: AgentHandle): void;
  disconnect(agent: AgentHandle): void;
  /** A child hands its CAPI objects back before it is deleted; resolves once the parent holds them. */
  unpivot(child: string, objects: KubeObject[]): Promise<void>;
}

/** A node roll to a Kubernetes version (upgrade), as the service runtime or the lifecycle plays it. */
export interface RollRequest {
  toVersion: string;
  /** Only these nodes roll (default: every node not at the version). */
  select?: (node: KubeObject) => boolean;
  onProgress?: (p: { node: string; index: number; total: number; step: string }) => void;
  signal?: AbortSignal;
}

export interface RollOutcome { completed: boolean; rolled: string[]; stalledOn?: string }
