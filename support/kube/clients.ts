/**
 * One handle per cluster: the kubeconfig it came from and the client-node APIs the suite uses.
 * Errors about the kubeconfig name the file but never quote it: it holds keys and tokens.
 */
import { accessSync, constants, statSync } from 'node:fs';
import {
  AppsV1Api, CoreV1Api, createConfiguration, CustomObjectsApi, KubeConfig, KubernetesObjectApi, ServerConfiguration, type Configuration,
} from '@kubernetes/client-node';
import { SuiteError } from '../errors.js';
import { BoundedHttpLibrary, DEFAULT_REQUEST_TIMEOUT_MS } from './request-timeout.js';

export interface ClusterClient {
  /** Short name for messages: the given name, else the kubeconfig's current context. */
  readonly name: string;
  readonly kubeconfigPath: string;
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
  /** How long any one request to this cluster may go unanswered (raw requests and watches too). */
  readonly requestTimeoutMs: number;
}

export interface OpenClusterOptions {
  /** Default DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
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

/**
 * KubeConfig.makeApiClient with a deadline on every request: for code that holds a KubeConfig of
 * its own (diagnostics). A race against a timer is not enough: the request it leaves running keeps
 * its socket, and the process, alive.
 */
export function boundedApiClient<T>(kc: KubeConfig, api: new (config: Configuration) => T, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): T {
  return new api(boundedConfiguration(kc, timeoutMs));
}

/** KubeConfig.makeApiClient's configuration, with a deadline on every request. */
function boundedConfiguration(kc: KubeConfig, timeoutMs: number): Configuration {
  return createConfiguration({
    baseServer: new ServerConfiguration(kc.getCurrentCluster()?.server ?? '', {}),
    authMethods: { default: kc },
    httpApi: new BoundedHttpLibrary(timeoutMs),
  });
}

/** KubernetesObjectApi.makeApiClient, on a given configuration. */
class BoundedObjectApi extends KubernetesObjectApi {
  static open(config: Configuration, kc: KubeConfig): KubernetesObjectApi {
    const api = new BoundedObjectApi(config);
    api.setDefaultNamespace(kc);
    return api;
  }
}

/** Opens the cluster that `kubeconfigPath` points at (its current context). */
export function openCluster(kubeconfigPath: string, name?: string, opts: OpenClusterOptions = {}): ClusterClient {
  const kc = loadKubeConfig(kubeconfigPath);
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const config = boundedConfiguration(kc, requestTimeoutMs);
  const objects = BoundedObjectApi.open(config, kc);
  return {
    name: name ?? kc.getCurrentContext(),
    kubeconfigPath,
    kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    custom: new CustomObjectsApi(config),
    objects,
    requestTimeoutMs,
  };
}
