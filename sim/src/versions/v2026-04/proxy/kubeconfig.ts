/**
 * `GET /kubeconfig` (lattice-api/src/kubeconfig.rs:124-262): one cluster and context per cluster
 * the caller may access, every server `<base>/clusters/<name>`, the cell CA, one user named after the
 * username; `?format=sa` embeds the caller's bearer token, the default format has no credentials
 * (the OIDC exec plugin only when an OIDCProvider is configured, which the target does not play).
 */
export interface ProxyKubeconfigInput {
  clusters: string[];
  username: string;
  baseUrl: string;
  caPem: string;
  format?: string | null;
  bearerToken?: string;
}

export function buildProxyKubeconfig(i: ProxyKubeconfigInput): string {
  const ca = Buffer.from(i.caPem).toString('base64');
  const user = i.format === 'sa' ? (i.bearerToken !== undefined ? { token: i.bearerToken } : {}) : {};
  const doc = {
    'api-version': 'v1',
    kind: 'Config',
    clusters: i.clusters.map((name) => ({ name, cluster: { server: `${i.baseUrl}/clusters/${name}`, 'certificate-authority-data': ca } })),
    users: [{ name: i.username, user }],
    contexts: i.clusters.map((name) => ({ name, context: { cluster: name, user: i.username } })),
    'current-context': i.clusters[0] ?? '',
  };
  // serde_json::to_string_pretty: two-space indentation.
  return JSON.stringify(doc, null, 2);
}
