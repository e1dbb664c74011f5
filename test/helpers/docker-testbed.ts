/**
 * CAPD-shaped containers and networks for the Docker tests, all labelled with the test run's id so
 * `cleanup()` removes every one of them, whatever the test did.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { CAPD_CLUSTER_LABEL, CAPD_ROLE_LABEL, RUN_ID_LABEL, type NodeRole } from '../../support/providers/docker/labels.js';
import { ADMIN_KUBECONFIG_PATHS } from '../../support/providers/docker/admin-kubeconfig.js';
import type { BootstrapKind } from '../../support/providers/types.js';
import { ensureTestImage, TEST_IMAGE } from './docker-image.js';

/** A short random token for names: `la` + 6 base36 characters. */
export function randomToken(): string {
  return `la${randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6)}`;
}

// Keep PID 1 alive until killed; `docker rm -f` sends SIGKILL, so nothing waits on a stop timeout.
const IDLE = 'while :; do sleep 3600; done';

export interface NodeOptions {
  /** Put CAPD labels (`io.x-k8s.kind.cluster/role`) on the container; otherwise only its name says what it is. */
  capdLabels: boolean;
  network?: string;
}

export class DockerTestBed {
  readonly runId = randomToken();
  constructor(readonly docker: Docker) {}

  get runLabel(): string { return `${RUN_ID_LABEL}=${this.runId}`; }

  private labels(cluster: string, role: NodeRole, opts: NodeOptions): Record<string, string> {
    return { [RUN_ID_LABEL]: this.runId, ...(opts.capdLabels ? { [CAPD_CLUSTER_LABEL]: cluster, [CAPD_ROLE_LABEL]: role } : {}) };
  }

  /** Starts a container from the test image; labelled with the run id whatever `labels` says. */
  async run(name: string, script: string, extra: { labels?: Record<string, string>; env?: string[]; publish6443?: boolean; network?: string } = {}): Promise<Docker.Container> {
    await ensureTestImage(this.docker);
    const c = await this.docker.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['/bin/sh', '-c', script],
      Env: extra.env ?? [],
      Labels: { ...(extra.labels ?? {}), [RUN_ID_LABEL]: this.runId },
      ExposedPorts: extra.publish6443 !== undefined ? { '6443/tcp': {} } : undefined,
      HostConfig: {
        ...(extra.publish6443 ? { PortBindings: { '6443/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
        ...(extra.network ? { NetworkMode: extra.network } : {}),
      },
    });
    await c.start();
    return c;
  }

  /**
   * `<cluster>-control-plane-<suffix>` whose kubeconfig (kubeadm or rke2 path) appears after `delayS`
   * seconds (0: at once), or never when `kubeconfig` is undefined.
   */
  controlPlane(cluster: string, opts: NodeOptions & { bootstrap?: BootstrapKind; kubeconfig?: string; delayS?: number; suffix?: string }): Promise<Docker.Container> {
    const path = ADMIN_KUBECONFIG_PATHS[opts.bootstrap ?? 'kubeadm'];
    const write = opts.kubeconfig === undefined ? '' : `sleep ${opts.delayS ?? 0}; printf '%s' "$KUBECONFIG_TEXT" > ${path}.tmp && mv ${path}.tmp ${path}; `;
    return this.run(`${cluster}-control-plane-${opts.suffix ?? randomToken().slice(2)}`, `${write}${IDLE}`, {
      labels: this.labels(cluster, 'control-plane', opts),
      env: opts.kubeconfig === undefined ? [] : [`KUBECONFIG_TEXT=${opts.kubeconfig}`],
      network: opts.network,
    });
  }

  /** `<cluster>-lb`: an echo listener on 6443, published on an ephemeral 127.0.0.1 port unless `publish` is false. */
  loadBalancer(cluster: string, opts: NodeOptions & { publish?: boolean }): Promise<Docker.Container> {
    return this.run(`${cluster}-lb`, 'exec nc -ll -p 6443 -e /bin/cat', {
      labels: this.labels(cluster, 'external-load-balancer', opts),
      publish6443: opts.publish ?? true,
      network: opts.network,
    });
  }

  /** `<cluster>-md-0-<hash>-<rand>`. */
  worker(cluster: string, opts: NodeOptions): Promise<Docker.Container> {
    const t = randomToken().slice(2);
    return this.run(`${cluster}-md-0-${t.slice(0, 3)}-${t.slice(3)}`, IDLE, { labels: this.labels(cluster, 'worker', opts), network: opts.network });
  }

  /** A whole CAPD-shaped cluster: lb, one control plane holding `kubeconfig`, `workers` workers. */
  async cluster(cluster: string, opts: NodeOptions & { kubeconfig: string; workers?: number; bootstrap?: BootstrapKind }): Promise<void> {
    // In parallel: a container start takes seconds on a busy vfs engine.
    await Promise.all([
      this.loadBalancer(cluster, opts),
      this.controlPlane(cluster, opts),
      ...Array.from({ length: opts.workers ?? 1 }, () => this.worker(cluster, opts)),
    ]);
  }

  async createNetwork(name: string, subnet: string, gateway: string): Promise<Docker.Network> {
    return this.docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gateway }] }, Labels: { [RUN_ID_LABEL]: this.runId } });
  }

  /** Names of the containers and networks of this run still on the engine. */
  async leftovers(): Promise<string[]> {
    const cs = await this.docker.listContainers({ all: true, filters: { label: [this.runLabel] } });
    const ns = await this.docker.listNetworks({ filters: { label: [this.runLabel] } });
    return [...cs.map((c) => `container ${c.Names[0]?.replace(/^\//, '')}`), ...ns.map((n) => `network ${n.Name}`)];
  }

  /** Removes every container, then every network, of this run; returns what is still there (should be nothing). */
  async cleanup(): Promise<string[]> {
    for (const c of await this.docker.listContainers({ all: true, filters: { label: [this.runLabel] } })) {
      await this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    for (const n of await this.docker.listNetworks({ filters: { label: [this.runLabel] } })) {
      await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
    return this.leftovers();
  }
}

/** Runs `body` with a fresh test bed and cleans it up afterwards, also when `body` throws. */
export async function withTestBed<T>(docker: Docker, body: (bed: DockerTestBed) => Promise<T>): Promise<T> {
  const bed = new DockerTestBed(docker);
  try {
    return await body(bed);
  } finally {
    const left = await bed.cleanup();
    if (left.length > 0) throw new Error(`test bed ${bed.runId} left ${left.join(', ')}`);
  }
}

/** A kubeconfig with `servers.length` cluster entries, one user and contexts; `tag` marks whose it is. */
export function sampleKubeconfig(tag: string, servers: string[] = ['https://172.18.0.3:6443']): string {
  const clusters = servers.map((s, i) => `- name: ${tag}-${i}\n  cluster:\n    server: ${s}\n    certificate-authority-data: Q0EtJHt0YWd9\n`).join('');
  const contexts = servers.map((_s, i) => `- name: ${tag}-ctx-${i}\n  context:\n    cluster: ${tag}-${i}\n    user: ${tag}-admin\n`).join('');
  return `apiVersion: v1\nkind: Config\nclusters:\n${clusters}contexts:\n${contexts}current-context: ${tag}-ctx-0\nusers:\n- name: ${tag}-admin\n  user:\n    token: not-a-real-token-${tag}\npreferences: {}\n`;
}
