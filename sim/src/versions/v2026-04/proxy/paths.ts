/**
 * `/clusters/<a>[/clusters/<b>...]/<k8s path>` (lattice-api/src/routing/path.rs): the chain of
 * cluster names and the Kubernetes path left. A segment that is not a DNS label ends the parse as
 * "cluster not available" (proxy.rs:24-27).
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const isDnsLabel = (s: string): boolean => DNS_LABEL.test(s);

export interface ClusterPath { hops: string[]; k8sPath: string }

export function parseClusterPath(path: string): ClusterPath | undefined {
  const hops: string[] = [];
  let rest = path;
  while (rest.startsWith('/clusters/')) {
    const tail = rest.slice('/clusters/'.length);
    const slash = tail.indexOf('/');
    const name = slash < 0 ? tail : tail.slice(0, slash);
    if (!name) break;
    if (!isDnsLabel(name)) return undefined;
    hops.push(name);
    rest = slash < 0 ? '' : tail.slice(slash);
  }
  if (!hops.length) return undefined;
  return { hops, k8sPath: rest || '/' };
}
