/**
 * Cluster API objects Lattice creates for a cluster `<name>` in namespace `capi-<name>`
 * (lattice-facts §2.2, §2.3): the Cluster, MachineDeployment `<name>-md-0` and the kubeconfig
 * secret `<name>-kubeconfig` (key `value`).
 */
import type { V1Secret } from '@kubernetes/client-node';
import { SuiteError } from '../errors.js';
import type { ClusterClient } from './clients.js';
import { isNotFound, withRetry, type RetryOptions } from './retry.js';
import { waitFor, type KubeObject } from './wait-for.js';

export const CAPI_GROUP = 'cluster.x-k8s.io';
export const CAPI_VERSION = 'v1beta2';

export const capiNamespace = (clusterName: string): string => `capi-${clusterName}`;
export const capiKubeconfigSecretName = (clusterName: string): string => `${clusterName}-kubeconfig`;
export const machineDeploymentName = (clusterName: string): string => `${clusterName}-md-0`;

/** The CAPI kubeconfig secret is absent or unusable. */
export class CapiKubeconfigError extends SuiteError {}

/** Fields of CAPI objects the suite reads; the rest stays untyped. */
export interface CapiObject extends KubeObject {
  apiVersion?: string;
  kind?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

interface CallOptions { retry?: RetryOptions }

function decodeKubeconfig(secret: V1Secret, where: string): string {
  const value = secret.data?.value;
  if (!value) throw new CapiKubeconfigError(`CAPI kubeconfig secret ${where} has no data.value`, 'wait until CAPI has written it');
  const text = Buffer.from(value, 'base64').toString('utf8');
  if (!/\bclusters\s*:/.test(text) || !/\bserver\s*:/.test(text)) {
    throw new CapiKubeconfigError(`CAPI kubeconfig secret ${where}: data.value is not a kubeconfig`);
  }
  return text;
}

/** The kubeconfig YAML from `capi-<name>/<name>-kubeconfig` (write it with mode 0600; never log it). */
export async function readCapiKubeconfig(client: ClusterClient, clusterName: string, opts: CallOptions = {}): Promise<string> {
  const namespace = capiNamespace(clusterName);
  const name = capiKubeconfigSecretName(clusterName);
  const where = `${namespace}/${name} on ${client.name}`;
  let secret: V1Secret;
  try {
    secret = await withRetry(`GET secrets/${name}`, () => client.core.readNamespacedSecret({ name, namespace }), opts.retry);
  } catch (err) {
    if (isNotFound(err)) {
      throw new CapiKubeconfigError(
        `CAPI kubeconfig secret ${where} not found`,
        'read it while the child is Provisioning/Pivoting (after the pivot the child keeps only an in-cluster copy)',
      );
    }
    throw err;
  }
  return decodeKubeconfig(secret, where);
}

/** Waits for the CAPI kubeconfig secret to exist with a value, and returns the kubeconfig text. */
export async function waitForCapiKubeconfig(
  client: ClusterClient, clusterName: string, input: { timeoutMs: number; intervalMs: number; signal?: AbortSignal },
): Promise<string> {
  const namespace = capiNamespace(clusterName);
  const name = capiKubeconfigSecretName(clusterName);
  const secret = await waitFor<V1Secret & KubeObject>({
    client,
    path: `/api/v1/namespaces/${namespace}/secrets`,
    name,
    resource: `secret ${namespace}/${name} on ${client.name}`,
    conditionText: 'present with data.value',
    ...input,
    condition: (s) => Boolean(s.data?.value),
    // never describe the data: it is the kubeconfig
    describe: (s) => (s ? `present, keys [${Object.keys(s.data ?? {}).join(',')}]` : 'absent'),
  });
  return decodeKubeconfig(secret, `${namespace}/${name} on ${client.name}`);
}

async function getNamespaced(client: ClusterClient, plural: string, namespace: string, name: string, opts: CallOptions): Promise<CapiObject | undefined> {
  try {
    return (await withRetry(
      `GET ${plural}/${name}`,
      () => client.custom.getNamespacedCustomObject({ group: CAPI_GROUP, version: CAPI_VERSION, namespace, plural, name }),
      opts.retry,
    )) as CapiObject;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** CAPI `Cluster <name>` in `capi-<name>`, or `undefined`. */
export function getCapiCluster(client: ClusterClient, name: string, opts: CallOptions = {}): Promise<CapiObject | undefined> {
  return getNamespaced(client, 'clusters', capiNamespace(name), name, opts);
}

/**
 * A MachineDeployment of cluster `name` in `capi-<name>`, or `undefined`: `<name>-md-0` unless
 * `mdName` is given (2026-04 names one per pool `<name>-pool-<id>`; support/versions).
 */
export function getMachineDeployment(client: ClusterClient, name: string, opts: CallOptions = {}, mdName = machineDeploymentName(name)): Promise<CapiObject | undefined> {
  return getNamespaced(client, 'machinedeployments', capiNamespace(name), mdName, opts);
}

/** Every CAPI Cluster in every namespace (the spec's `kubectl get clusters -A`). */
export async function listCapiClusters(client: ClusterClient, opts: CallOptions = {}): Promise<CapiObject[]> {
  const list = (await withRetry(
    'LIST clusters (all namespaces)',
    () => client.custom.listCustomObjectForAllNamespaces({ group: CAPI_GROUP, version: CAPI_VERSION, plural: 'clusters' }),
    opts.retry,
  )) as { items?: CapiObject[] };
  return list.items ?? [];
}
