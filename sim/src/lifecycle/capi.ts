/**
 * The CAPI controllers of one cluster (core, kubeadm/rke2, infrastructure providers folded into
 * one): for every CAPI Cluster in this cluster's store that is not moved away, they keep control
 * plane and `<name>-md-0` machines at their replicas through the infrastructure, write the
 * `<name>-kubeconfig` secret once the control plane answers, and, when the Cluster is deleted, remove
 * what this store knows of it.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../apiserver/types.js';
import { faultOn } from '../faults.js';
import type { ClusterContext } from './context.js';
import type { BootstrapType } from './names.js';
import {
  CAPI_API, CAPI_CLUSTER_FINALIZER, CLUSTER_NAME_LABEL, CONTROL_PLANE_LABEL, DEPLOYMENT_NAME_LABEL,
  PROVIDERS, bootstrapKinds, infraKinds, kubeconfigSecretName, 
  type ProviderType,
} from './names.js';
import { buildKubeconfig } from './kubeconfig.js';
import { capiLabels } from './capi-manifests.js';
import { now, secret } from './objects.js';
import { WorkQueue } from './queue.js';
import { rollMachines } from './upgrade.js';
import { kubeletRegistration } from '../versions/v2026-04/lifecycle/pools.js';

const rand = (n: number) => randomBytes(8).toString('hex').replace(/[^a-z0-9]/g, '').slice(0, n);

/** Provider and bootstrap flavour of a CAPI Cluster, read from its refs. */
export function capiShapeOf(cluster: KubeObject): { provider: ProviderType; bootstrap: BootstrapType } {
  const infraKind: string = cluster.spec?.infrastructureRef?.kind ?? 'DockerCluster';
  const provider = PROVIDERS.find((p) => infraKinds(p, 'kubeadm').cluster === infraKind) ?? 'docker';
  const bootstrap: BootstrapType = cluster.spec?.controlPlaneRef?.kind === 'RKE2ControlPlane' ? 'rke2' : 'kubeadm';
  return { provider, bootstrap };
}

const bareVersion = (v: unknown) => String(v ?? '').replace(/^v/, '').replace(/\+.*$/, '');

export function startCapiControllers(ctx: ClusterContext): void {
  const { store, infra, signal } = ctx;
  const queue = new WorkQueue((key) => reconcile(key), signal, (key, err) => ctx.log(`capi: reconcile ${key} failed: ${(err as Error).message}`));
  const enqueueFor = (o: KubeObject) => {
    const name = o.kind === 'Cluster' ? o.metadata.name : o.metadata.labels?.[CLUSTER_NAME_LABEL];
    if (name && o.metadata.namespace) queue.add(`${o.metadata.namespace}/${name}`);
  };
  const watched: Array<[string, string]> = [[CAPI_API, 'Cluster'], [CAPI_API, 'MachineDeployment'], [CAPI_API, 'Machine'],
    [bootstrapKinds('kubeadm').controlPlaneApi, 'KubeadmControlPlane'], [bootstrapKinds('rke2').controlPlaneApi, 'RKE2ControlPlane']];
  for (const [apiVersion, kind] of watched) {
    const stop = store.watch(apiVersion, kind, {}, (e) => enqueueFor(e.object));
    signal.addEventListener('abort', stop, { once: true });
  }
  for (const c of store.list(CAPI_API, 'Cluster').items) enqueueFor(c);
  // Moving a cluster back (unpivot) needs a fresh look even without an object change.
  const resync = setInterval(() => { for (const c of store.list(CAPI_API, 'Cluster').items) enqueueFor(c); }, 500);
  signal.addEventListener('abort', () => clearInterval(resync), { once: true });

  const booting = new Set<string>();
  /** Machines whose node a version roll is replacing (2026-04), and the clusters rolling. */
  const rolling = new Set<string>();
  const rollingClusters = new Set<string>();

  /** The cluster's MachineDeployments, by name. */
  function machineDeploymentsOf(namespace: string, cluster: string): KubeObject[] {
    return store.list(CAPI_API, 'MachineDeployment', { namespace, labelSelector: `${CLUSTER_NAME_LABEL}=${cluster}` }).items
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /**
   * KubeadmControlPlane / MachineDeployment rollout after a `spec.version` change (CAPI, 2026-04):
   * the Machines not at the version are replaced one at a time, control plane first; a Machine
   * being replaced is `Provisioning`, so the cluster is not "stable" (lattice-capi client.rs
   * is_cluster_stable) until the roll is done. Nodes keep their names (replaced in place).
   */
  function rollOutdated(cluster: string, namespace: string, cp: KubeObject, cpMachines: KubeObject[], pools: Array<{ md: KubeObject; machines: KubeObject[] }>): void {
    if (rollingClusters.has(cluster)) return;
    const outdated = (ms: KubeObject[], want: string) => ms
      .map((m) => store.get(CAPI_API, 'Machine', m.metadata.name, namespace))
      .filter((m): m is KubeObject => !!m && m.status?.phase === 'Running' && !!m.status?.nodeRef?.name && bareVersion(m.spec?.version) !== want)
      .map((m) => ({ machine: m.metadata.name, node: m.status.nodeRef.name as string, version: want }));
    const cpWant = bareVersion(cp.spec?.version);
    const targets = outdated(cpMachines, cpWant);
    // Workers roll only once the control plane is done (the operator patches them after it).
    if (targets.length === 0) for (const p of pools) targets.push(...outdated(p.machines, bareVersion(p.md.spec?.template?.spec?.version) || cpWant));
    if (targets.length === 0) return;
    rollingClusters.add(cluster);
    void rollMachines(ctx, namespace, targets, rolling)
      .catch((e) => { if (!signal.aborted) ctx.log(`capi: roll of ${cluster} failed: ${(e as Error).message}`); })
      .finally(() => { rollingClusters.delete(cluster); queue.add(`${namespace}/${cluster}`); });
  }

  async function reconcile(key: string): Promise<number | void> {
    const [namespace, name] = key.split('/');
    const cluster = store.get(CAPI_API, 'Cluster', name, namespace);
    if (!cluster || ctx.movedAway.has(name)) return;
    if (cluster.metadata.deletionTimestamp) return teardown(cluster);
    const shape = capiShapeOf(cluster);
    const boot = bootstrapKinds(shape.bootstrap);
    const infraK = infraKinds(shape.provider, shape.bootstrap);
    const cp = store.get(boot.controlPlaneApi, boot.controlPlane, cluster.spec?.controlPlaneRef?.name ?? `${name}-control-plane`, namespace);
    if (!cp) return 200;
    const version = bareVersion(cp.spec?.version);
    infra.ensureCluster(name, { provider: shape.provider, bootstrap: shape.bootstrap, labels: cluster.metadata.labels, createdBy: ctx.name });

    const infraCluster = store.get(infraK.apiVersion, infraK.cluster, cluster.spec?.infrastructureRef?.name ?? name, namespace);
    if (infraCluster && !infraCluster.status?.ready) {
      store.mergePatch(infraK.apiVersion, infraK.cluster, infraCluster.metadata.name, namespace,
        { status: { ready: true, initialization: { provisioned: true } } }, 'status');
    }

    const machines = store.list(CAPI_API, 'Machine', { namespace, labelSelector: `${CLUSTER_NAME_LABEL}=${name}` }).items;
    const cpMachines = machines.filter((m) => m.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined);

    const desiredCp = Number(cp.spec?.replicas ?? 1);
    for (let i = cpMachines.length; i < desiredCp; i++) {
      cpMachines.push(createMachine(namespace, name, `${name}-control-plane-${rand(5)}`, 'control-plane', version, cluster.metadata.labels, infraK));
    }
    for (const m of cpMachines) driveMachine(m, name, 'control-plane', version);
    const cpRunning = cpMachines.filter((m) => store.get(CAPI_API, 'Machine', m.metadata.name, namespace)?.status?.phase === 'Running').length;
    const initialized = cpRunning > 0 && infra.isAlive(name);

    if (initialized) ensureKubeconfigSecret(namespace, name, cluster.metadata.labels);
    const cpStatus = {
      replicas: cpMachines.length, readyReplicas: cpRunning, availableReplicas: cpRunning, upToDateReplicas: cpMachines.length,
      version: cp.spec?.version, initialization: { controlPlaneInitialized: initialized }, initialized, ready: cpRunning >= desiredCp,
    };
    patchStatusIfChanged(boot.controlPlaneApi, boot.controlPlane, cp, cpStatus);

    // Workers follow each MachineDeployment of the cluster (`<name>-md-0` at 2026-01, `<name>-pool-<id>`
    // at 2026-04) only once the control plane answers.
    const drivenByDeadParent = faultOn('child-driven-by-parent') && name === ctx.name && !!parentOf(ctx) && !infra.isAlive(parentOf(ctx)!);
    let desiredWorkers = 0;
    let workersCount = 0;
    let workersRunning = 0;
    let workersSettling = false;
    const workersByMd: Array<{ md: KubeObject; machines: KubeObject[] }> = [];
    for (const md of machineDeploymentsOf(namespace, name)) {
      const mdName = md.metadata.name;
      const workerMachines = machines.filter((m) => m.metadata.labels?.[DEPLOYMENT_NAME_LABEL] === mdName);
      const desired = Number(md.spec?.replicas ?? 0);
      const mdVersion = bareVersion(md.spec?.template?.spec?.version) || version;
      if (initialized && !drivenByDeadParent) {
        if (workerMachines.length < desired) {
          const hash = md.metadata.uid?.replace(/-/g, '').slice(0, 9) ?? rand(9);
          for (let i = workerMachines.length; i < desired; i++) {
            workerMachines.push(createMachine(namespace, name, `${mdName}-${hash}-${rand(5)}`, 'worker', mdVersion, cluster.metadata.labels, infraK, mdName));
          }
        } else if (workerMachines.length > desired) {
          const excess = workerMachines.splice(desired).reverse();
          for (const m of excess) {
            store.delete(CAPI_API, 'Machine', m.metadata.name, namespace);
            await infra.deleteMachine(name, m.metadata.name);
          }
        }
        // The kubelet joins with the node labels and taints of the MachineDeployment's bootstrap config.
        const ref = md.spec?.template?.spec?.bootstrap?.configRef ?? {};
        const registration = kubeletRegistration(store.get(boot.configApi, ref.kind ?? boot.configTemplate, ref.name ?? mdName, namespace));
        for (const m of workerMachines) driveMachine(m, name, 'worker', version, registration);
      }
      const running = workerMachines.filter((m) => store.get(CAPI_API, 'Machine', m.metadata.name, namespace)?.status?.phase === 'Running').length;
      patchStatusIfChanged(CAPI_API, 'MachineDeployment', md, {
        replicas: workerMachines.length, readyReplicas: running, availableReplicas: running, upToDateReplicas: workerMachines.length,
        phase: running === desired ? 'Running' : workerMachines.length < desired ? 'ScalingUp' : workerMachines.length > desired ? 'ScalingDown' : 'Running',
      });
      desiredWorkers += desired;
      workersCount += workerMachines.length;
      workersRunning += running;
      if (running < workerMachines.length || (initialized && workerMachines.length !== desired && !drivenByDeadParent)) workersSettling = true;
      workersByMd.push({ md, machines: workerMachines });
    }
    // 2026-04: a version change on the control plane or a MachineDeployment rolls its Machines (CAPI).
    if (infra.apiVersionOf(ctx.name) === '2026-04' && initialized) rollOutdated(name, namespace, cp, cpMachines, workersByMd);
    const cond = (type: string, ok: boolean, reason: string) => ({ type, status: ok ? 'True' : 'False', reason: ok ? reason : 'NotReady', lastTransitionTime: now() });
    patchStatusIfChanged(CAPI_API, 'Cluster', cluster, {
      phase: initialized ? 'Provisioned' : 'Provisioning',
      initialization: { infrastructureProvisioned: true, controlPlaneInitialized: initialized },
      controlPlane: { desiredReplicas: desiredCp, replicas: cpMachines.length, readyReplicas: cpRunning },
      workers: { desiredReplicas: desiredWorkers, replicas: workersCount, readyReplicas: workersRunning },
      conditions: [
        cond('Available', initialized, 'Available'),
        cond('InfrastructureReady', true, 'Ready'),
        cond('ControlPlaneInitialized', initialized, 'Initialized'),
        cond('ControlPlaneAvailable', initialized, 'Available'),
        cond('WorkersAvailable', workersRunning >= desiredWorkers, 'Available'),
      ],
    });
    const settling = cpRunning < cpMachines.length || workersSettling;
    return settling ? 200 : undefined;
  }

  function createMachine(namespace: string, cluster: string, machineName: string, role: 'control-plane' | 'worker', version: string,
    labels: Record<string, string> | undefined, infraK: ReturnType<typeof infraKinds>, mdName?: string): KubeObject {
    const base = capiLabels(cluster, Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== CLUSTER_NAME_LABEL)));
    return store.create({
      apiVersion: CAPI_API, kind: 'Machine',
      metadata: {
        name: machineName, namespace,
        labels: { ...base, ...(role === 'control-plane' ? { [CONTROL_PLANE_LABEL]: '' } : { [DEPLOYMENT_NAME_LABEL]: mdName! }) },
      },
      spec: {
        clusterName: cluster, version: `v${version}`,
        bootstrap: { dataSecretName: machineName },
        infrastructureRef: { apiGroup: infraK.apiVersion.split('/')[0], kind: infraK.machine, name: machineName },
      },
    });
  }

  /** Boots the machine behind a Machine object, or marks it Running once the infrastructure has it. */
  function driveMachine(m: KubeObject, cluster: string, role: 'control-plane' | 'worker', version: string,
    registration?: ReturnType<typeof kubeletRegistration>): void {
    const current = store.get(CAPI_API, 'Machine', m.metadata.name, m.metadata.namespace);
    if (!current || rolling.has(m.metadata.name)) return; // a Machine being rolled is the roll's to drive
    const im = infra.machine(cluster, m.metadata.name);
    if (im?.state === 'running') {
      if (current.status?.phase !== 'Running') {
        store.mergePatch(CAPI_API, 'Machine', m.metadata.name, m.metadata.namespace, {
          spec: { providerID: im.providerID },
        });
        store.mergePatch(CAPI_API, 'Machine', m.metadata.name, m.metadata.namespace, {
          status: {
            phase: 'Running', nodeRef: { name: im.name }, addresses: [{ type: 'InternalIP', address: im.address }],
            initialization: { infrastructureProvisioned: true, bootstrapDataSecretCreated: true },
            conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: now() }],
          },
        }, 'status');
      }
      return;
    }
    if (current.status?.phase !== 'Provisioning') {
      store.mergePatch(CAPI_API, 'Machine', m.metadata.name, m.metadata.namespace, { status: { phase: 'Provisioning' } }, 'status');
    }
    const key = `${cluster}/${m.metadata.name}`;
    if (im || booting.has(key)) return;
    booting.add(key);
    const bootVersion = role === 'worker' ? bareVersion(current.spec?.version) || version : version;
    infra.bootMachine(cluster, { name: m.metadata.name, role, version: bootVersion, ...(registration ?? {}) }, () => ctx.bootstrapManifestsFor(cluster))
      .catch((e) => { if (!signal.aborted) ctx.log(`capi: machine ${m.metadata.name} failed to boot: ${(e as Error).message}`); })
      .finally(() => { booting.delete(key); queue.add(`${m.metadata.namespace}/${cluster}`); });
  }

  function ensureKubeconfigSecret(namespace: string, cluster: string, labels: Record<string, string> | undefined): void {
    const name = kubeconfigSecretName(cluster);
    if (store.get('v1', 'Secret', name, namespace)) return;
    const ep = infra.endpoint(cluster);
    if (!ep) return;
    const s = secret(namespace, name, { value: buildKubeconfig(cluster, ep) }, capiLabels(cluster, labels), 'cluster.x-k8s.io/secret');
    store.create(s);
  }

  function patchStatusIfChanged(apiVersion: string, kind: string, obj: KubeObject, status: Record<string, unknown>): void {
    const strip = (s: unknown) => JSON.stringify(s, (k, v) => (k === 'lastTransitionTime' ? undefined : v));
    const merged = { ...(obj.status ?? {}), ...status };
    if (strip(merged) === strip(obj.status ?? {})) return;
    store.mergePatch(apiVersion, kind, obj.metadata.name, obj.metadata.namespace, { status }, 'status');
  }

  /**
   * CAPI deleting a Cluster: it deletes the Machines and the infrastructure cluster (load balancer)
   * **this store** knows, and garbage collection takes the objects owned through the Cluster (control
   * plane, MachineDeployment and templates, the kubeconfig secret). A parent's stale copy of a pivoted
   * child knows only the pre-pivot machines, so the workers the child made afterwards keep running.
   */
  async function teardown(cluster: KubeObject): Promise<void> {
    const name = cluster.metadata.name;
    const namespace = cluster.metadata.namespace!;
    const known = store.list(CAPI_API, 'Machine', { namespace, labelSelector: `${CLUSTER_NAME_LABEL}=${name}` }).items;
    const shape = capiShapeOf(cluster);
    const infraK = infraKinds(shape.provider, shape.bootstrap);
    const lb = !!store.get(infraK.apiVersion, infraK.cluster, cluster.spec?.infrastructureRef?.name ?? name, namespace);
    const left = await infra.removeKnown(name, known.map((m) => m.metadata.name), lb);
    for (const o of ownedObjects(namespace, name)) {
      try { store.delete(apiVersionOf(o), o.kind, o.metadata.name, namespace); } catch { /* gone meanwhile */ }
    }
    const cur = store.get(CAPI_API, 'Cluster', name, namespace);
    if (cur?.metadata.finalizers?.includes(CAPI_CLUSTER_FINALIZER)) {
      store.update({ ...cur, metadata: { ...cur.metadata, finalizers: cur.metadata.finalizers.filter((f) => f !== CAPI_CLUSTER_FINALIZER) } });
    }
    ctx.log(`capi: cluster ${name} deleted, ${known.length} known machine(s) removed${left.length ? `; not known here, still running: ${left.join(', ')}` : ''}`);
  }

  /** Objects of the cluster other than the Cluster itself: CAPI kinds and secrets labelled with its name. */
  function ownedObjects(namespace: string, name: string): KubeObject[] {
    const out: KubeObject[] = [];
    const seen = new Set<string>();
    for (const t of store.types()) {
      if (!t.namespaced || !(t.group.endsWith('cluster.x-k8s.io') || (t.group === '' && (t.kind === 'Secret' || t.kind === 'ConfigMap')))) continue;
      if (seen.has(`${t.group}/${t.plural}`)) continue;
      seen.add(`${t.group}/${t.plural}`);
      const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
      for (const o of store.list(apiVersion, t.kind, { namespace, labelSelector: `${CLUSTER_NAME_LABEL}=${name}` }).items) {
        if (!(o.kind === 'Cluster' && t.group === 'cluster.x-k8s.io')) out.push(o);
      }
    }
    return out;
  }
}

const apiVersionOf = (o: KubeObject) => o.apiVersion;

function parentOf(ctx: ClusterContext): string | undefined {
  return ctx.infra.host(ctx.name)?.parent();
}
