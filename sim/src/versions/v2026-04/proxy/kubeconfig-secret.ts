/**
 * The parent's `capi-<name>/<name>-kubeconfig` during Provisioning at 2026-04
 * (lattice-cluster/src/phases/provisioning.rs:37-151; lattice-cell/src/kubeconfig.rs:21-198): a copy
 * of the original goes to `istio-system/istiod-direct-kubeconfig-<name>` once, then `value` is rewritten,
 * as JSON, to `https://lattice-cell.lattice-system.svc:<proxyPort>/clusters/<name>` with the cell
 * CA as `certificate-authority-data` (users untouched). `<proxyPort>` is the child's own
 * `parentConfig.proxyPort`, else 8081. Upstream ignores failures here (`let _ =`), and so does this.
 * Not called on the kind bootstrap cluster (the operator's hook checks).
 */
import * as yaml from 'js-yaml';
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { cellCaOf } from './cell-ca.js';
import { CELL_SERVICE, LATTICE_SYSTEM } from './cell-service.js';

const DEFAULT_PROXY_PORT = 8081; // lattice-core/src/lib.rs:26-32

export async function rewriteChildKubeconfig(store: ObjectStore, self: string, child: KubeObject): Promise<void> {
  const name = child.metadata.name;
  const namespace = `capi-${name}`;
  const secretName = `${name}-kubeconfig`;
  try {
    const sec = store.get('v1', 'Secret', secretName, namespace);
    const value = (sec?.data as Record<string, string> | undefined)?.value;
    if (!sec || !value) return; // CAPI has not written it yet: the next reconcile tries again
    copyForIstiod(store, child, value);
    const text = Buffer.from(value, 'base64').toString('utf8');
    if (text.includes('/clusters/')) return; // already patched (is_kubeconfig_patched)
    const proxyPort = typeof child.spec?.parentConfig?.proxyPort === 'number' ? child.spec.parentConfig.proxyPort : DEFAULT_PROXY_PORT;
    const server = `https://${CELL_SERVICE}.${LATTICE_SYSTEM}.svc:${proxyPort}/clusters/${name}`;
    const ca = Buffer.from((await cellCaOf(store, self)).caPem).toString('base64');
    const doc = yaml.load(text) as { clusters?: Array<{ cluster?: Record<string, unknown> }> };
    for (const c of doc.clusters ?? []) {
      if (!c.cluster) continue;
      if ('server' in c.cluster) c.cluster.server = server;
      c.cluster['certificate-authority-data'] = ca;
    }
    const fresh = store.get('v1', 'Secret', secretName, namespace);
    if (!fresh) return;
    store.mergePatch('v1', 'Secret', secretName, namespace, { data: { value: Buffer.from(JSON.stringify(doc)).toString('base64') } });
  } catch { /* retried on the next reconcile, as upstream */ }
}

/** copy_kubeconfig_for_istiod (provisioning.rs:155-230): once, owned by the child's LatticeCluster. */
function copyForIstiod(store: ObjectStore, child: KubeObject, value: string): void {
  const name = child.metadata.name;
  const dest = `istiod-direct-kubeconfig-${name}`; // lattice-common/src/lib.rs:95-97
  if (!store.get('v1', 'Namespace', 'istio-system') || store.get('v1', 'Secret', dest, 'istio-system')) return;
  store.create({
    apiVersion: 'v1', kind: 'Secret',
    metadata: {
      name: dest, namespace: 'istio-system',
      labels: { 'app.kubernetes.io/managed-by': 'lattice', 'lattice.dev/cluster': name },
      ownerReferences: [{ apiVersion: child.apiVersion, kind: child.kind, name, uid: child.metadata.uid ?? '', controller: true }],
    },
    data: { kubeconfig: value },
  });
}
