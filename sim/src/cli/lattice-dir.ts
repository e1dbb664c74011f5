/**
 * `~/.lattice/` of the 2026-04 CLI (cli/config.rs:20-100): `config.json` ({proxy_server,
 * current_cluster, last_login}, serde's snake_case), `kubeconfig.proxy` (through the auth proxy) and
 * `kubeconfig.root` (direct), all written with mode 0600; the folder is created on first use.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function latticeDir(): string {
  const dir = join(homedir(), '.lattice');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const configPath = () => join(latticeDir(), 'config.json');
export const proxyKubeconfigPath = () => join(latticeDir(), 'kubeconfig.proxy');
export const rootKubeconfigPath = () => join(latticeDir(), 'kubeconfig.root');

function writeSecure(path: string, text: string): void {
  try {
    writeFileSync(path, text);
    chmodSync(path, 0o600);
  } catch (e) { throw new Error(`failed to write ${path}: ${(e as Error).message}`); }
}

export interface LatticeConfig { proxy_server?: string; current_cluster?: string; last_login?: string }

export function saveConfig(c: LatticeConfig): void {
  writeSecure(configPath(), JSON.stringify({ proxy_server: c.proxy_server ?? null, current_cluster: c.current_cluster ?? null, last_login: c.last_login ?? null }, null, 2));
}
export function saveProxyKubeconfig(json: string): string { const p = proxyKubeconfigPath(); writeSecure(p, json); return p; }
export function saveRootKubeconfig(text: string): string { const p = rootKubeconfigPath(); writeSecure(p, text); return p; }

/** Removes one file; true when it was there (logout.rs:17-31: a missing file is no error). */
export function removeIfPresent(path: string): boolean {
  try { rmSync(path); return true; } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(`failed to remove ${path}: ${(e as Error).message}`);
  }
}

/** Context names of a proxy kubeconfig (commands/proxy.rs extract_cluster_names). */
export function clusterNamesOf(kubeconfigJson: string): string[] {
  let doc: { contexts?: Array<{ name?: string }> };
  try { doc = JSON.parse(kubeconfigJson); } catch (e) { throw new Error(`failed to parse kubeconfig: ${(e as Error).message}`); }
  return (doc.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string');
}
