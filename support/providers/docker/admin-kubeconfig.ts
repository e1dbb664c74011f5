/**
 * Reading the admin kubeconfig out of a control-plane container (`docker exec <cp> cat <path>`).
 * kubeadm/rke2 write it some time after the container starts, so absence is retried: upstream
 * tries 60 times, 5 s apart.
 */
import type Docker from 'dockerode';
import { WaitTimeoutError } from '../../errors.js';
import type { BootstrapKind } from '../types.js';
import { execInContainer } from './exec.js';

export const ADMIN_KUBECONFIG_PATHS: Record<BootstrapKind, string> = {
  kubeadm: '/etc/kubernetes/admin.conf',
  rke2: '/etc/rancher/rke2/rke2.yaml',
};

export interface ReadAdminKubeconfigInput {
  containerId: string;
  containerName: string;
  bootstrap: BootstrapKind;
  /** How many reads before giving up (upstream: 60). */
  attempts: number;
  /** Pause between reads (upstream: 5000 ms). */
  intervalMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export async function readAdminKubeconfig(docker: Docker, input: ReadAdminKubeconfigInput): Promise<string> {
  const path = ADMIN_KUBECONFIG_PATHS[input.bootstrap];
  const started = Date.now();
  let lastSeen = 'not read yet';
  for (let attempt = 1; attempt <= input.attempts; attempt++) {
    input.signal?.throwIfAborted();
    try {
      const res = await execInContainer(docker, input.containerId, ['cat', path]);
      if (res.exitCode === 0 && res.stdout.trim().length > 0) return res.stdout;
      lastSeen = res.exitCode === 0 ? 'file is empty' : `exit ${res.exitCode}: ${firstLine(res.stderr) || '(no output)'}`;
    } catch (err) {
      // e.g. 409 "container is not running" while the node restarts: keep trying.
      lastSeen = firstLine((err as Error).message ?? String(err));
    }
    input.log?.(`${path} not readable yet in ${input.containerName} (attempt ${attempt}/${input.attempts}): ${lastSeen}`);
    if (attempt < input.attempts) await new Promise((r) => setTimeout(r, input.intervalMs));
  }
  throw new WaitTimeoutError(`${path} in container ${input.containerName}`, `readable (${input.attempts} attempts, ${input.intervalMs} ms apart)`, lastSeen, Date.now() - started);
}
