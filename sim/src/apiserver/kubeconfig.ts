/** Kubeconfig text for a simulated cluster's API (the admin.conf / CAPI secret equivalent). */
import * as yaml from 'js-yaml';

export interface ApiEndpoint { server: string; caPem: string; token: string }

export function buildKubeconfig(cluster: string, ep: ApiEndpoint, user = `${cluster}-admin`): string {
  const context = `${user}@${cluster}`;
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: ep.server, 'certificate-authority-data': Buffer.from(ep.caPem).toString('base64') } }],
    users: [{ name: user, user: { token: ep.token } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  }, { lineWidth: -1 });
}
