/**
 * What a pod's spec says about its security, read the way the kubelet applies it: a container's
 * own securityContext wins over the pod's (Kubernetes API semantics). Lattice's restricted defaults
 * (workload/pipeline/pod_template.rs:411-505, docs §5.2): runAsNonRoot, read-only root filesystem,
 * capabilities drop ALL and nothing added.
 */
import type { V1Pod } from '@kubernetes/client-node';

export interface ContainerSecurity {
  pod: string;
  container: string;
  runAsUser?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  drop: string[];
  add: string[];
}

export function containerSecurity(pod: V1Pod): ContainerSecurity[] {
  const podCtx = pod.spec?.securityContext ?? {};
  return (pod.spec?.containers ?? []).map((c) => {
    const sc = c.securityContext ?? {};
    return {
      pod: pod.metadata?.name ?? '?', container: c.name,
      runAsUser: sc.runAsUser ?? podCtx.runAsUser,
      runAsNonRoot: sc.runAsNonRoot ?? podCtx.runAsNonRoot,
      readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
      drop: sc.capabilities?.drop ?? [],
      add: sc.capabilities?.add ?? [],
    };
  });
}

/** Every way a container departs from the restricted defaults; [] when it keeps them all. */
export function restrictedDefaultsProblems(s: ContainerSecurity): string[] {
  const where = `${s.pod}/${s.container}`;
  const problems: string[] = [];
  if (s.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is ${String(s.runAsNonRoot)}, not true`);
  if (s.runAsUser === 0) problems.push(`${where}: runs as user 0`);
  if (s.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is ${String(s.readOnlyRootFilesystem)}, not true`);
  if (!s.drop.includes('ALL')) problems.push(`${where}: capabilities dropped are [${s.drop.join(', ')}], not ALL`);
  if (s.add.length) problems.push(`${where}: capabilities added: ${s.add.join(', ')}`);
  return problems;
}

/** A relaxation in effect, in the feature's words ("run as root", "run with NET_ADMIN added"). */
export function relaxationInEffect(s: ContainerSecurity, words: string): { holds: boolean; seen: string } {
  const seen = `${s.pod}/${s.container}: runAsUser=${String(s.runAsUser)} runAsNonRoot=${String(s.runAsNonRoot)} add=[${s.add.join(', ')}]`;
  if (words === 'run as root') return { holds: s.runAsUser === 0 && s.runAsNonRoot !== true, seen };
  const cap = /^run with ([A-Z_]+) added$/.exec(words);
  if (cap) return { holds: s.add.includes(cap[1]), seen };
  throw new Error(`unknown relaxation "${words}": write "run as root" or "run with <CAPABILITY> added"`);
}
