/** Kubeconfigs of simulated clusters: built by the API server's module, read here. */
import * as yaml from 'js-yaml';

export { buildKubeconfig, type ApiEndpoint } from '../apiserver/kubeconfig.js';

/** The server address and bearer token of a kubeconfig's current context. */
export function readKubeconfig(text: string): { server: string; token?: string; cluster?: string } {
  const doc = yaml.load(text) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.clusters)) throw new Error('not a kubeconfig (no clusters list)');
  const ctxName = doc['current-context'];
  const ctx = (doc.contexts ?? []).find((c: any) => c?.name === ctxName)?.context ?? doc.contexts?.[0]?.context; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cluster = (doc.clusters as any[]).find((c) => c?.name === ctx?.cluster) ?? doc.clusters[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const user = (doc.users ?? []).find((u: any) => u?.name === ctx?.user) ?? doc.users?.[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const server = cluster?.cluster?.server;
  if (typeof server !== 'string') throw new Error('kubeconfig has no server address');
  return { server, token: user?.user?.token, cluster: cluster?.name };
}
