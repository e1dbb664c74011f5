/**
 * One handle per cluster: the kubeconfig it came from and the client-node APIs the suite uses.
 * Errors about the kubeconfig name the file but never quote it: it holds keys and tokens.
 */
import { accessSync, constants, statSync } from 'node:fs';
import {
  AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi,
} from '@kubernetes/client-node';
import { SuiteError } from '../errors.js';

export interface ClusterClient {
  /** Short name for messages: the given name, else the kubeconfig's current context. */
  readonly name: string;
  readonly kubeconfigPath: string;
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
}

/** A kubeconfig that is missing, unreadable or not usable. */
export class KubeconfigError extends SuiteError {}

function loadKubeConfig(path: string): KubeConfig {
  try {
    if (!statSync(path).isFile()) throw new KubeconfigError(`kubeconfig ${path} is not a file`, 'point the setting at a kubeconfig file');
    accessSync(path, constants.R_OK);
  } catch (err) {
    if (err instanceof KubeconfigError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new KubeconfigError(`kubeconfig ${path} does not exist`, 'create the cluster first or fix the path');
    throw new KubeconfigError(`kubeconfig ${path} cannot be read (${code ?? 'error'})`, 'check its permissions');
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    // YAML errors quote the offending lines, which may be key material: report only where.
    const mark = (err as { mark?: { line?: number } }).mark;
    const where = typeof mark?.line === 'number' ? ` near line ${mark.line + 1}` : '';
    const kind = (err as { name?: string }).name === 'YAMLException' ? 'is not valid YAML' : 'is not a valid kubeconfig';
    throw new KubeconfigError(`kubeconfig ${path} ${kind}${where}`, 'regenerate it (e.g. from the CAPI secret or the installer output)');
  }
  const cluster = kc.getCurrentCluster();
  if (!kc.getCurrentContext() || !cluster) {
    throw new KubeconfigError(`kubeconfig ${path} has no usable current context`, 'set current-context to a context whose cluster exists');
  }
  if (!/^https?:\/\//.test(cluster.server ?? '')) {
    throw new KubeconfigError(`kubeconfig ${path}: cluster ${cluster.name} has no http(s) server address`, 'set clusters[].cluster.server');
  }
  return kc;
}

/** Opens the cluster that `kubeconfigPath` points at (its current context). */
export function openCluster(kubeconfigPath: string, name?: string): ClusterClient {
  const kc = loadKubeConfig(kubeconfigPath);
  return {
    name: name ?? kc.getCurrentContext(),
    kubeconfigPath,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}
