import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError } from '../../../support/kube/clients.js';
import { kubeconfigServers, repointKubeconfig, writeKubeconfigFile } from '../../../support/kube/kubeconfig-file.js';

const admin = `apiVersion: v1
kind: Config
clusters:
- name: workload
  cluster:
    server: https://172.18.0.3:6443
    certificate-authority-data: Q0E=
- name: second
  cluster:
    server: https://10.0.0.1:6443
    tls-server-name: "server: https://not-a-field"
contexts:
- name: admin@workload
  context: { cluster: workload, user: admin }
current-context: admin@workload
users:
- name: admin
  user:
    client-key-data: S0VZ
`;

describe('re-pointing a kubeconfig at the load balancer', () => {
  it('sets every cluster entry\'s server and nothing else', () => {
    const out = repointKubeconfig(admin, 'https://127.0.0.1:41234');
    assert.deepEqual(kubeconfigServers(out), ['https://127.0.0.1:41234', 'https://127.0.0.1:41234']);
    const a = yaml.load(admin) as Record<string, unknown>; const b = yaml.load(out) as Record<string, unknown>;
    assert.deepEqual(b.users, a.users);
    assert.deepEqual(b.contexts, a.contexts);
    assert.equal(b['current-context'], 'admin@workload');
    // A "server:" inside a value is data, not a field: text-line editing would have hit it.
    assert.equal((b.clusters as Array<{ cluster: Record<string, string> }>)[1]!.cluster['tls-server-name'], 'server: https://not-a-field');
  });

  it('property: any number of cluster entries all end up on the given server', () => {
    fc.assert(fc.property(fc.array(fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), server: fc.webUrl() }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 65535 }), (entries, port) => {
      const text = yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.server } })) });
      const servers = kubeconfigServers(repointKubeconfig(text, `https://127.0.0.1:${port}`));
      assert.equal(servers.length, entries.length);
      assert.ok(servers.every((s) => s === `https://127.0.0.1:${port}`));
    }));
  });

  it('refuses text that is not a kubeconfig, naming the source', () => {
    assert.throws(() => repointKubeconfig('clusters: []', 'https://127.0.0.1:1', 'admin.conf in cp-1'), (e: unknown) => e instanceof KubeconfigError && /admin\.conf in cp-1 has no clusters entry/.test(e.message));
    assert.throws(() => repointKubeconfig('a: [', 'https://127.0.0.1:1', 'admin.conf'), /admin\.conf is not YAML/);
    assert.throws(() => repointKubeconfig('clusters:\n- name: x\n', 'https://127.0.0.1:1'), /cluster entry x has no cluster block/);
  });

  it('writes the file 0600, also over an existing 0644 file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-'));
    try {
      const p = join(dir, 'sub', 'e2e-workload-kubeconfig');
      await writeKubeconfigFile(p, 'first');
      assert.equal((await stat(p)).mode & 0o777, 0o600);
      const q = join(dir, 'old'); await writeFile(q, 'x', { mode: 0o644 });
      await writeKubeconfigFile(q, 'second');
      assert.equal((await stat(q)).mode & 0o777, 0o600);
      assert.equal(await readFile(q, 'utf8'), 'second');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
