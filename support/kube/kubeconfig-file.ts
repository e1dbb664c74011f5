/**
 * Kubeconfig files: written owner-only (0600) in an owner-only folder, because they hold keys; and
 * re-pointed at a reachable API server. The YAML is parsed and edited (not rewritten line by line),
 * so only `server` fields change.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as yaml from 'js-yaml';
import { KubeconfigError } from './clients.js';

export async function writeKubeconfigFile(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600); // writeFile keeps the mode of a file that already existed
  return path;
}

interface KubeconfigDoc { clusters?: Array<{ name?: string; cluster?: { server?: string } & Record<string, unknown> }> }

/** Returns `text` with every `clusters[].cluster.server` set to `server`; throws when there is no cluster entry. */
export function repointKubeconfig(text: string, server: string, source = 'kubeconfig'): string {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new KubeconfigError(`${source} is not YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const clusters = (doc as KubeconfigDoc | null)?.clusters;
  if (!doc || typeof doc !== 'object' || !Array.isArray(clusters) || clusters.length === 0) {
    throw new KubeconfigError(`${source} has no clusters entry`, 'expected a kubeconfig with at least one cluster');
  }
  for (const entry of clusters) {
    if (!entry || typeof entry.cluster !== 'object' || entry.cluster === null) {
      throw new KubeconfigError(`${source}: cluster entry ${entry?.name ?? '(unnamed)'} has no cluster block`);
    }
    entry.cluster.server = server;
  }
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}

/** The `server` of every cluster entry, in order (for checks; the kubeconfig stays unlogged). */
export function kubeconfigServers(text: string): string[] {
  const doc = yaml.load(text) as KubeconfigDoc | null;
  return (doc?.clusters ?? []).map((c) => c.cluster?.server ?? '');
}
