/**
 * What holds at the instant a parent first says a child is Ready. Lattice writes pivotComplete and
 * Ready on the parent's copy only after the child's agent reports PivotComplete, which it sends
 * after importing the CAPI resources (lattice-cluster agent/client.rs:842-915 → agent/server.rs:83-106
 * → controller.rs:1833-1836, :2009, :2233-2236 at 1236706e). So the child must already hold its
 * own CAPI Cluster then, not only some time later.
 */
import type { ClusterClient, PhaseTransition } from '../kube/index.js';
import { getCapiCluster } from '../kube/index.js';

export interface ReadyMoment {
  cluster: string;
  /** When the parent's watch delivered phase Ready. */
  readyAt: Date;
  /** When the child's answer came back. */
  readAt: Date;
  /** The child's kubeconfig was already at hand when Ready arrived (else the read is late by its fetch). */
  kubeconfigAtHand: boolean;
  childHoldsCapiCluster: boolean;
}

/**
 * Fed every phase transition of the child on its parent: from Pivoting on it fetches the child's
 * kubeconfig (its API answers by then), so that on the first Ready it can read the child at once.
 */
export class ReadyMomentProbe {
  private client: Promise<ClusterClient> | undefined;
  private clientAtHand = false;
  private reading: Promise<ReadyMoment> | undefined;

  constructor(
    private readonly cluster: string,
    /** The phase the parent reports once the child is pivoted (2026-01 Ready, 2026-04 Pivoted; support/versions). */
    private readonly readyPhase: string,
    private readonly open: () => Promise<ClusterClient>,
    private readonly holdsCapiCluster: (client: ClusterClient, cluster: string) => Promise<boolean> = async (c, n) => (await getCapiCluster(c, n)) !== undefined,
  ) {}

  onTransition(t: PhaseTransition): void {
    if ((t.phase === 'Pivoting' || t.phase === this.readyPhase) && !this.client) this.startFetch();
    if (t.phase === this.readyPhase && !this.reading) this.reading = this.read(t.at);
  }

  /** The child's client, fetched once (also used after Ready, so a one-shot kubeconfig capture is not asked twice). */
  childClient(): Promise<ClusterClient> {
    if (!this.client) this.startFetch();
    return this.client!;
  }

  /** The reading at Ready, or undefined when Ready was never seen. */
  result(): Promise<ReadyMoment> | undefined { return this.reading; }

  private startFetch(): void {
    this.client = this.open();
    this.client.then(() => { this.clientAtHand = true; }, () => undefined);
  }

  private async read(readyAt: Date): Promise<ReadyMoment> {
    const atHand = this.clientAtHand;
    const client = await this.client!;
    const held = await this.holdsCapiCluster(client, this.cluster);
    return { cluster: this.cluster, readyAt, readAt: new Date(), kubeconfigAtHand: atHand, childHoldsCapiCluster: held };
  }
}

/** One line for the scenario log. */
export function describeReadyMoment(m: ReadyMoment): string {
  const late = m.readAt.getTime() - m.readyAt.getTime();
  return `${m.cluster} at the parent's first Ready: CAPI Cluster ${m.childHoldsCapiCluster ? 'held' : 'NOT held'} by the child (read ${late} ms after Ready${m.kubeconfigAtHand ? '' : ', kubeconfig fetched only then'})`;
}

/** The reading at Ready of each child created in this process, by the cluster's registry entry. */
export const readyMoments = new WeakMap<object, Promise<ReadyMoment> | undefined>();
