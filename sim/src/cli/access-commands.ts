/**
 * `lattice login` and `lattice logout` of 2026-04 (cli/commands/login.rs, logout.rs; cli/lib.rs:20-30),
 * and what `lattice install` keeps in `~/.lattice` after a 2026-04 install (install.rs:1410-1445,
 * :1776-1781). 2026-01's CLI has none of this.
 */
import type { CommandSpec } from './args.js';
import { parseFlags } from './args.js';
import { clusterNamesOf, configPath, proxyKubeconfigPath, removeIfPresent, rootKubeconfigPath, saveConfig, saveProxyKubeconfig, saveRootKubeconfig } from './lattice-dir.js';
import { fetchKubeconfig } from './proxy-fetch.js';
import { writePrivateFile } from './private-file.js';

export const LOGIN: CommandSpec = {
  name: 'login',
  about: 'Authenticate and save a proxy kubeconfig for all future commands',
  usage: 'lattice login [OPTIONS] --server <SERVER> --token <TOKEN>',
  flags: [
    { long: 'server', value: 'SERVER', required: true, help: 'Lattice proxy server URL' },
    { long: 'token', value: 'TOKEN', required: true, help: 'Bearer token for authentication' },
    { long: 'insecure', help: 'Skip TLS certificate verification (for development)' },
  ],
};

export const LOGOUT: CommandSpec = {
  name: 'logout',
  about: 'Clear saved credentials and proxy kubeconfig',
  usage: 'lattice logout',
  flags: [],
};

/** login.rs:36-68: 10 attempts, 403 fatal; messages on stderr. */
export async function loginCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(LOGIN, argv);
  const server = String(flags.server);
  const json = await fetchKubeconfig({ server, token: String(flags.token), insecure: !!flags.insecure, format: 'sa', maxAttempts: 10, retryForbidden: false });
  const names = clusterNamesOf(json);
  const path = saveProxyKubeconfig(json);
  saveConfig({ proxy_server: server, current_cluster: names[0], last_login: new Date().toISOString() });
  process.stderr.write([
    `Logged in successfully. Kubeconfig saved to ${path}`, '', 'Available clusters:',
    ...names.map((n, i) => `  - ${n}${i === 0 ? ' *' : ''}`), '',
    'Use `kubectl config use-context <cluster>` to switch clusters.', '',
  ].join('\n'));
  return 0;
}

/** logout.rs:33-52: removes kubeconfig.proxy, kubeconfig.root and config.json; exit 0 either way. */
export function logoutCommand(argv: string[]): number {
  parseFlags(LOGOUT, argv);
  let removed = false;
  for (const p of [proxyKubeconfigPath(), rootKubeconfigPath(), configPath()]) removed = removeIfPresent(p) || removed;
  process.stdout.write(removed ? 'Logged out. Saved credentials have been removed.\n' : 'Already logged out (no saved credentials found).\n');
  return 0;
}

/**
 * After a 2026-04 install: the root kubeconfig, the proxy kubeconfig fetched with the admin token
 * (install passes insecure and retries 401/403 forever), config.json, and `--kubeconfig-out` as a copy
 * of the proxy kubeconfig.
 */
export async function finishInstall(o: { rootKubeconfig: string; adminToken: string; proxyServer: string; kubeconfigOut?: string }): Promise<void> {
  const root = saveRootKubeconfig(o.rootKubeconfig);
  const json = await fetchKubeconfig({ server: o.proxyServer, token: o.adminToken, insecure: true, format: 'sa', maxAttempts: 0, retryForbidden: true });
  const proxy = saveProxyKubeconfig(json);
  saveConfig({ proxy_server: o.proxyServer, current_cluster: clusterNamesOf(json)[0], last_login: new Date().toISOString() });
  process.stderr.write([
    '', '=======================================================',
    `Proxy kubeconfig:  ${proxy}`, `Root kubeconfig:   ${root}`, '',
    'Proxy kubeconfig routes through the Lattice auth proxy.', 'Root kubeconfig connects directly to the API server.',
    'Both contain the lattice-admin token — store securely.', '', 'To re-login from another machine:',
    '  lattice login --server <proxy-url> --token <admin-token>', '=======================================================', '',
  ].join('\n'));
  if (o.kubeconfigOut) {
    writePrivateFile(o.kubeconfigOut, json); // tokio::fs::copy of kubeconfig.proxy (mode 0600 as the source)
    process.stdout.write(`Kubeconfig also written to: ${o.kubeconfigOut}\n`);
  }
}
