import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import * as yaml from 'js-yaml';
import { boundedApiClient } from '../kube/clients.js';
import { redact } from '../redact.js';
import { withTimeout } from '../timers.js';

/** A cluster the run knows about, as diagnostics needs it. */
export interface DiagnosticTarget { role: string; name: string; kubeconfigPath?: string }

export interface DiagnosticsResult { dir: string; summary: string; files: string[] }

const PER_CALL_TIMEOUT_MS = 5_000;
const LOG_TAIL_LINES = 60;
/** The Lattice operator's namespace (upstream: crates/lattice-operator deploys into lattice-system). */
const OPERATOR_NAMESPACE = 'lattice-system';
const OPERATOR_LOG_TAIL_LINES = 400;
/** Cluster API's groups all end in this (cluster, controlplane, bootstrap, infrastructure, addons). */
const CAPI_GROUP_SUFFIX = 'cluster.x-k8s.io';

const answered = <T>(p: Promise<T>, what: string): Promise<T> =>
  withTimeout(p, PER_CALL_TIMEOUT_MS, () => new Error(`${what}: no answer within ${PER_CALL_TIMEOUT_MS / 1000}s`));

function describeError(err: unknown): string {
  if (err instanceof k8s.ApiException) return `HTTP ${err.code}`;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|ACCESS_KEY|KEY_ID|PRIVATE_KEY|API_KEY|CREDENTIALS?|AUTH|\.key)$/i;

/**
 * Strips what is noise or secret from objects before they are written: managedFields, the
 * last-applied annotation (a full copy of the object as applied), and the value of every
 * `{name, value}` pair (container env) whose name looks like a credential.
 */
export function scrubForDiagnostics(obj: unknown): unknown {
  const o = JSON.parse(JSON.stringify(obj ?? null));
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    const rec = node as Record<string, unknown>;
    if (typeof rec.name === 'string' && typeof rec.value === 'string' && SECRET_NAME.test(rec.name)) rec.value = '«redacted»';
    Object.values(rec).forEach(walk);
  };
  if (o && typeof o === 'object' && 'metadata' in o && o.metadata) {
    delete o.metadata.managedFields;
    if (o.metadata.annotations) delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  walk(o);
  return o;
}

/**
 * Dumps what a reader needs to understand a failure on each cluster: LatticeClusters with their
 * status, LatticeServices, recent events, pods and the tail of their logs. Secrets are never read.
 * Works best-effort: a cluster that no longer answers is noted, not fatal.
 */
export async function collectDiagnostics(targets: DiagnosticTarget[], dir: string): Promise<DiagnosticsResult> {
  const files: string[] = [];
  const lines: string[] = [];
  await mkdir(dir, { recursive: true });

  const write = async (name: string, content: string) => {
    const p = join(dir, name);
    await writeFile(p, redact(content), { mode: 0o600 });
    files.push(p);
  };

  for (const t of targets) {
    if (!t.kubeconfigPath) { lines.push(`${t.role} (${t.name}): no kubeconfig yet`); continue; }
    const kc = new k8s.KubeConfig();
    try { kc.loadFromFile(t.kubeconfigPath); } catch (err) { lines.push(`${t.role} (${t.name}): kubeconfig unreadable: ${describeError(err)}`); continue; }
    const custom = boundedApiClient(kc, k8s.CustomObjectsApi, PER_CALL_TIMEOUT_MS);
    const core = boundedApiClient(kc, k8s.CoreV1Api, PER_CALL_TIMEOUT_MS);
    const prefix = `${t.role}-${t.name}`;
    const part: string[] = [];

    try {
      const lcs = await answered(custom.listClusterCustomObject({ group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeclusters' }), 'list latticeclusters') as { items: Array<{ metadata: { name: string }; status?: { phase?: string; message?: string } }> };
      await write(`${prefix}.latticeclusters.yaml`, yaml.dump(lcs.items.map(scrubForDiagnostics)));
      part.push(`latticeclusters: ${lcs.items.map((c) => `${c.metadata.name}=${c.status?.phase ?? 'Pending'}${c.status?.message ? ` (${c.status.message})` : ''}`).join(', ') || 'none'}`);
    } catch (err) {
      lines.push(`${t.role} (${t.name}): API not answering: ${describeError(err)}`);
      continue;
    }
    try {
      const lss = await answered(custom.listCustomObjectForAllNamespaces({ group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeservices' }), 'list latticeservices') as { items: Array<{ metadata: { name: string; namespace: string }; status?: { phase?: string } }> };
      await write(`${prefix}.latticeservices.yaml`, yaml.dump(lss.items.map(scrubForDiagnostics)));
      const notReady = lss.items.filter((s) => s.status?.phase !== 'Ready');
      part.push(`latticeservices: ${lss.items.length} (${notReady.length} not Ready${notReady.length ? `: ${notReady.slice(0, 5).map((s) => `${s.metadata.namespace}/${s.metadata.name}=${s.status?.phase ?? 'none'}`).join(', ')}` : ''})`);
    } catch (err) { part.push(`latticeservices: ${describeError(err)}`); }
    try {
      const nodes = await answered(core.listNode({}), 'list nodes');
      await write(`${prefix}.nodes.yaml`, yaml.dump(nodes.items.map(scrubForDiagnostics)));
      const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      part.push(`nodes: ${nodes.items.length} (${ready.length} Ready)`);
    } catch (err) { part.push(`nodes: ${describeError(err)}`); }
    try {
      const capi = await collectCapiObjects(kc, custom);
      await write(`${prefix}.cluster-api.yaml`, yaml.dump(capi.objects.map(scrubForDiagnostics)));
      part.push(`Cluster API objects: ${capi.objects.length}${capi.kinds.length ? ` (${capi.kinds.join(', ')})` : ''}${capi.problems.length ? `; ${capi.problems.join('; ')}` : ''}`);
    } catch (err) { part.push(`Cluster API objects: ${describeError(err)}`); }
    try {
      const ev = await answered(core.listEventForAllNamespaces({}), 'list events');
      const recent = ev.items.slice(-100).map((e) => `${e.lastTimestamp ?? e.eventTime ?? ''} ${e.type ?? ''} ${e.involvedObject?.kind}/${e.involvedObject?.namespace ?? ''}/${e.involvedObject?.name}: ${e.reason ?? ''} ${e.message ?? ''}`);
      await write(`${prefix}.events.txt`, recent.join('\n') + '\n');
    } catch (err) { part.push(`events: ${describeError(err)}`); }
    try {
      const pods = await answered(core.listPodForAllNamespaces({}), 'list pods');
      const rows = pods.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name} ${p.status?.phase ?? '?'} node=${p.spec?.nodeName ?? '-'}`);
      await write(`${prefix}.pods.txt`, rows.join('\n') + '\n');
      const notRunning = pods.items.filter((p) => p.status?.phase !== 'Running' && p.status?.phase !== 'Succeeded');
      part.push(`pods: ${pods.items.length} (${notRunning.length} not running)`);
      // The operator's logs first and longer: they say why a cluster or service is stuck.
      const operator = pods.items.filter((p) => p.metadata?.namespace === OPERATOR_NAMESPACE);
      const others = pods.items.filter((p) => p.metadata?.namespace !== OPERATOR_NAMESPACE).slice(0, 40);
      part.push(`operator pods: ${operator.length}`);
      for (const p of [...operator, ...others]) {
        const ns = p.metadata!.namespace!; const name = p.metadata!.name!;
        const tailLines = ns === OPERATOR_NAMESPACE ? OPERATOR_LOG_TAIL_LINES : LOG_TAIL_LINES;
        try {
          const log = await answered(core.readNamespacedPodLog({ name, namespace: ns, tailLines }), `log ${ns}/${name}`);
          await write(`${prefix}.logs.${ns}.${name}.txt`, String(log));
        } catch { /* a pod without logs is normal */ }
      }
    } catch (err) { part.push(`pods: ${describeError(err)}`); }
    lines.push(`${t.role} (${t.name}): ${part.join('; ')}`);
  }
  const summary = lines.join('\n');
  await writeFile(join(dir, 'index.html'), diagnosticsIndex(summary, files.map((f) => basename(f))), { mode: 0o600 });
  return { dir, summary, files };
}

/** Every object of every Cluster API kind the cluster serves (found by discovery, so any provider's kinds). */
async function collectCapiObjects(kc: k8s.KubeConfig, custom: k8s.CustomObjectsApi): Promise<{ objects: unknown[]; kinds: string[]; problems: string[] }> {
  const groups = await answered(boundedApiClient(kc, k8s.ApisApi, PER_CALL_TIMEOUT_MS).getAPIVersions(), 'API discovery');
  const objects: unknown[] = []; const kinds: string[] = []; const problems: string[] = [];
  for (const g of groups.groups.filter((x) => x.name.endsWith(CAPI_GROUP_SUFFIX))) {
    const version = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (!version) continue;
    let resources: k8s.V1APIResourceList;
    try { resources = await answered(custom.getAPIResources({ group: g.name, version }), `discovery of ${g.name}/${version}`); } catch (err) { problems.push(`${g.name}: ${describeError(err)}`); continue; }
    for (const r of resources.resources.filter((x) => !x.name.includes('/') && x.verbs.includes('list'))) {
      try {
        const list = await answered(custom.listCustomObjectForAllNamespaces({ group: g.name, version, plural: r.name }), `list ${r.name}.${g.name}`) as { items: unknown[] };
        if (list.items.length) { kinds.push(`${list.items.length} ${r.kind}`); objects.push(...list.items); }
      } catch (err) { problems.push(`${r.name}.${g.name}: ${describeError(err)}`); }
    }
  }
  return { objects, kinds, problems };
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The folder's front page: the summary and a relative link to every file, so it works wherever it is copied. */
export function diagnosticsIndex(summary: string, files: string[]): string {
  const items = files.map((f) => `<li><a href="${escape(encodeURIComponent(f))}">${escape(f)}</a></li>`).join('\n');
  return `<!DOCTYPE html>\n<meta charset="utf-8"><title>Diagnostics</title>\n<pre>${escape(redact(summary))}</pre>\n<ul>\n${items}\n</ul>\n`;
}
