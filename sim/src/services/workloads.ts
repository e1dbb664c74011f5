/**
 * Deployment controller, scheduler and kubelet for the compiled workloads: keeps `replicas` pods
 * per Deployment, binds them to Ready, schedulable worker nodes (honouring required pod affinity on
 * `kubernetes.io/hostname`), starts them in the PodRuntime after a simulated start-up, reports pod
 * and Deployment status, and evicts pods whose node is gone or not Ready.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { DURATIONS, getSpeed } from '../clock.js';
import { imageUser, probePasses } from '../images/index.js';
import { COMPILED_LABEL } from './model.js';
import type { PodRuntime } from './pods.js';

export const DEPLOYMENT_LABEL = 'lattice.dev/deployment';
const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
const ts = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export function isNodeReady(n: KubeObject): boolean {
  return !n.metadata.deletionTimestamp && (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}
export function isWorker(n: KubeObject): boolean { return n.metadata.labels?.[CONTROL_PLANE] === undefined; }
export function schedulable(n: KubeObject): boolean { return isWorker(n) && isNodeReady(n) && !n.spec?.unschedulable; }

function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

function matchLabels(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);
}

function isGone(e: unknown): boolean { const c = (e as { code?: number }).code; return c === 404 || c === 409; }

export class Workloads {
  private startAt = new Map<string, number>();
  private ipCounter = 0;
  private podIps = new Map<string, string>();

  constructor(private readonly store: ObjectStore, private readonly runtime: PodRuntime, private readonly kickAfter: (ms: number) => void) {}

  private tryWrite(fn: () => void) { try { fn(); } catch (e) { if (!isGone(e)) throw e; } }

  reconcile(): void {
    const nodes = this.store.list('v1', 'Node').items;
    const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]));
    // The runtime's own (2026-01 compiled, waypoint stand-ins) and, at 2026-04, those a LatticeService owns.
    const deployments = this.store.list('apps/v1', 'Deployment').items.filter((d) => d.metadata.labels?.[COMPILED_LABEL] === 'true'
      || (d.metadata.ownerReferences ?? []).some((r) => r.kind === 'LatticeService' && r.apiVersion === 'lattice.dev/v1alpha1'));
    let pods = this.store.list('v1', 'Pod', { labelSelector: DEPLOYMENT_LABEL }).items;

    // Deployment controller.
    const byDeployment = new Map<string, KubeObject[]>();
    for (const p of pods) {
      const k = `${p.metadata.namespace}/${p.metadata.labels?.[DEPLOYMENT_LABEL]}`;
      byDeployment.set(k, [...(byDeployment.get(k) ?? []), p]);
    }
    const deploymentKeys = new Set<string>();
    const deleted = new Set<string>();
    const created: KubeObject[] = [];
    for (const d of deployments) {
      const k = `${d.metadata.namespace}/${d.metadata.name}`;
      deploymentKeys.add(k);
      const hash = templateHash(d.spec.template);
      const mine = (byDeployment.get(k) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      const current = mine.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash);
      for (const p of mine) if (p.metadata.labels?.['pod-template-hash'] !== hash) { this.deletePod(p); deleted.add(p.metadata.uid!); }
      const want = d.spec.replicas ?? 1;
      // Prefer removing pods that are not running yet.
      const ordered = [...current].sort((a, b) => Number(b.status?.phase !== 'Running') - Number(a.status?.phase !== 'Running'));
      for (const p of ordered.slice(0, Math.max(0, current.length - want))) { this.deletePod(p); deleted.add(p.metadata.uid!); }
      for (let i = current.length; i < want; i++) {
        const pod: KubeObject = {
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            name: `${d.metadata.name}-${hash.slice(0, 9)}-${randomBytes(3).toString('hex').slice(0, 5)}`,
            namespace: d.metadata.namespace,
            labels: { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash, [DEPLOYMENT_LABEL]: d.metadata.name },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid ?? '', controller: true }],
          },
          spec: { ...d.spec.template.spec, restartPolicy: 'Always', schedulerName: 'default-scheduler', enableServiceLinks: true },
          status: { phase: 'Pending', conditions: [], qosClass: 'BestEffort' },
        };
        try { created.push(this.store.create(pod)); } catch (e) { if (!isGone(e) && (e as { code?: number }).code !== 422) throw e; }
      }
    }
    for (const p of pods) {
      if (!deploymentKeys.has(`${p.metadata.namespace}/${p.metadata.labels?.[DEPLOYMENT_LABEL]}`) && !deleted.has(p.metadata.uid!)) { this.deletePod(p); deleted.add(p.metadata.uid!); }
    }
    pods = [...pods.filter((p) => !deleted.has(p.metadata.uid!)), ...created];

    // Kubelet side, part 1: evict from missing or NotReady nodes; stop processes of vanished pods.
    const alive = new Set(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    for (const rp of this.runtime.all()) if (!alive.has(rp.key)) { this.runtime.stop(rp.namespace, rp.name); this.startAt.delete(rp.key); }
    pods = pods.filter((p) => {
      const n = p.spec?.nodeName;
      if (n && (!nodeByName.has(n) || !isNodeReady(nodeByName.get(n)!))) { this.deletePod(p); return false; }
      return true;
    });

    // Scheduler.
    const load = new Map<string, number>();
    for (const p of pods) if (p.spec?.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
    const candidates = nodes.filter(schedulable);
    for (const p of pods) {
      if (p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
      const terms: Array<{ labelSelector?: { matchLabels?: Record<string, string> }; topologyKey?: string }> =
        p.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
      const fits = candidates.filter((n) => terms.every((t) => pods.some((q) => q !== p && q.metadata.namespace === p.metadata.namespace
        && q.spec?.nodeName === n.metadata.name && matchLabels(t.labelSelector?.matchLabels, q.metadata.labels))));
      if (fits.length === 0) {
        const msg = candidates.length === 0
          ? `0/${nodes.length} nodes are available: no Ready, schedulable worker node.`
          : `0/${nodes.length} nodes are available: ${candidates.length} node(s) didn't match pod affinity rules.`;
        const cur = (p.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
        if (cur?.message !== msg) {
          this.tryWrite(() => this.store.mergePatch('v1', 'Pod', p.metadata.name, p.metadata.namespace, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastTransitionTime: ts() }] } }, 'status'));
        }
        continue;
      }
      fits.sort((a, b) => (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0) || a.metadata.name.localeCompare(b.metadata.name));
      const node = fits[0];
      load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
      p.spec.nodeName = node.metadata.name;
      this.tryWrite(() => {
        this.store.mergePatch('v1', 'Pod', p.metadata.name, p.metadata.namespace, { spec: { nodeName: node.metadata.name } });
        this.store.mergePatch('v1', 'Pod', p.metadata.name, p.metadata.namespace, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: ts() }] } }, 'status');
      });
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      this.startAt.set(key, Date.now() + DURATIONS.podStart / getSpeed());
      this.kickAfter(DURATIONS.podStart / getSpeed());
    }

    // Kubelet side, part 2: start due pods and report their status.
    for (const p of pods) {
      if (!p.spec?.nodeName || p.metadata.deletionTimestamp) continue;
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      let rp = this.runtime.get(p.metadata.namespace ?? 'default', p.metadata.name);
      const refused = nonRootRefusal(p);
      if (refused) { this.reportConfigError(p, refused); continue; }
      if (!rp || rp.uid !== p.metadata.uid) {
        const at = this.startAt.get(key) ?? Date.now();
        if (!this.startAt.has(key)) this.startAt.set(key, at);
        if (Date.now() < at) { this.kickAfter(at - Date.now()); continue; }
        const fresh = this.store.get('v1', 'Pod', p.metadata.name, p.metadata.namespace);
        if (!fresh || fresh.metadata.uid !== p.metadata.uid) continue;
        rp = this.runtime.start(fresh);
        rp.onState = () => this.kickAfter(0);
      }
      this.reportPod(p, nodeByName.get(p.spec.nodeName), rp.restarts, !!rp.script && (!rp.proc || rp.proc.child.exitCode !== null || rp.proc.child.signalCode !== null));
    }

    for (const d of deployments) this.reportDeployment(d, pods.filter((p) => p.metadata.namespace === d.metadata.namespace && p.metadata.labels?.[DEPLOYMENT_LABEL] === d.metadata.name));
  }

  deletePod(p: KubeObject): void {
    this.runtime.stop(p.metadata.namespace ?? 'default', p.metadata.name);
    this.startAt.delete(`${p.metadata.namespace}/${p.metadata.name}`);
    this.podIps.delete(`${p.metadata.namespace}/${p.metadata.name}`);
    this.tryWrite(() => this.store.delete('v1', 'Pod', p.metadata.name, p.metadata.namespace));
  }

  private podIp(key: string): string {
    let ip = this.podIps.get(key);
    if (!ip) { this.ipCounter += 1; ip = `10.244.${Math.floor(this.ipCounter / 250) % 250}.${(this.ipCounter % 250) + 2}`; this.podIps.set(key, ip); }
    return ip;
  }

  private reportPod(p: KubeObject, node: KubeObject | undefined, restarts: number, crashed: boolean) {
    const c = p.spec.containers[0];
    const ports = (c.ports ?? []).map((x: { containerPort: number }) => x.containerPort);
    const ready = !crashed && probePasses(c.image, ports, c.readinessProbe);
    const prev = p.status ?? {};
    const prevCs = prev.containerStatuses?.[0];
    if (prev.phase === 'Running' && prevCs?.ready === ready && prevCs?.restartCount === restarts) return;
    const started = prev.startTime ?? ts();
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const cond = (type: string, ok: boolean) => {
      const old = (prev.conditions ?? []).find((x: { type: string; status: string }) => x.type === type && x.status === (ok ? 'True' : 'False'));
      return { type, status: ok ? 'True' : 'False', lastTransitionTime: old?.lastTransitionTime ?? ts(), ...(ok ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${c.name}]` }) };
    };
    const hostIP = (node?.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '172.18.0.3';
    const status = {
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      hostIP, hostIPs: [{ ip: hostIP }], podIP: this.podIp(key), podIPs: [{ ip: this.podIp(key) }], startTime: started, qosClass: 'BestEffort',
      containerStatuses: [{
        name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
        containerID: `containerd://${createHash('sha256').update(p.metadata.uid ?? key).digest('hex')}`,
        ready, started: !crashed, restartCount: restarts,
        state: crashed ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${c.name}` } } : { running: { startedAt: prevCs?.state?.running?.startedAt ?? ts() } },
      }],
    };
    this.tryWrite(() => this.store.mergePatch('v1', 'Pod', p.metadata.name, p.metadata.namespace, { status }, 'status'));
  }

  /** A container the kubelet refuses to create: Pending, waiting with CreateContainerConfigError. */
  private reportConfigError(p: KubeObject, message: string) {
    const c = p.spec.containers[0];
    if (p.status?.containerStatuses?.[0]?.state?.waiting?.message === message) return;
    const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: ts(), ...(ok ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${c.name}]` }) });
    const status = {
      phase: 'Pending', startTime: p.status?.startTime ?? ts(), qosClass: 'BestEffort',
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', false), cond('ContainersReady', false), cond('PodScheduled', true)],
      containerStatuses: [{ name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'CreateContainerConfigError', message } } }],
    };
    this.tryWrite(() => this.store.mergePatch('v1', 'Pod', p.metadata.name, p.metadata.namespace, { status }, 'status'));
  }

  private reportDeployment(d: KubeObject, pods: KubeObject[]) {
    const fresh = pods.map((p) => this.store.get('v1', 'Pod', p.metadata.name, p.metadata.namespace)).filter((p): p is KubeObject => !!p && !p.metadata.deletionTimestamp);
    const hash = templateHash(d.spec.template);
    const ready = fresh.filter((p) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')).length;
    const want = d.spec.replicas ?? 1;
    const available = ready >= want;
    const s = {
      observedGeneration: d.metadata.generation, replicas: fresh.length,
      updatedReplicas: fresh.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash).length,
      readyReplicas: ready, availableReplicas: ready, ...(fresh.length - ready > 0 ? { unavailableReplicas: fresh.length - ready } : { unavailableReplicas: null }),
    };
    const prev = d.status ?? {};
    const same = (['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const).every((k) => (prev[k] ?? 0) === (s[k] ?? 0))
      && (prev.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Available' && c.status === (available ? 'True' : 'False'));
    if (same) return;
    const conditions = [
      { type: 'Available', status: available ? 'True' : 'False', reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.', lastUpdateTime: ts(), lastTransitionTime: ts() },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.metadata.name}-${hash.slice(0, 9)}" has successfully progressed.`, lastUpdateTime: ts(), lastTransitionTime: ts() },
    ];
    this.tryWrite(() => this.store.mergePatch('apps/v1', 'Deployment', d.metadata.name, d.metadata.namespace, { status: { ...s, conditions } }, 'status'));
  }
}

/**
 * The kubelet's runAsNonRoot check of the first container (kuberuntime verifyRunAsNonRoot): with
 * runAsNonRoot true, runAsUser 0 breaks it; without runAsUser the image's user decides (root ⇒
 * refused, a name ⇒ cannot be verified). Container settings override the pod's.
 */
export function nonRootRefusal(pod: KubeObject): string | undefined {
  const c = pod.spec?.containers?.[0];
  const podSc = pod.spec?.securityContext ?? {};
  const sc = c?.securityContext ?? {};
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) return undefined;
  const where = `(pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${c.name})`;
  const uid = sc.runAsUser ?? podSc.runAsUser;
  if (uid !== undefined) return Number(uid) === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const user = imageUser(c.image);
  if (user === undefined) return undefined;
  if (user === '' || user === '0') return `container has runAsNonRoot and image will run as root ${where}`;
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`;
  return undefined;
}
