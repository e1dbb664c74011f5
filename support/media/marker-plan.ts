/**
 * The volume-sharing proof of lattice-facts §4.6, derived from the mounts: for every place on a
 * shared claim (claim + sub-folder) that two services mount, one writes a marker and every other
 * mount of that place must read it; every mount of another sub-folder of the same claim must NOT
 * (upstream checks one such case: jellyfin's /media never shows nzbget's marker). Optionally, each
 * private claim's marker must not appear in another service's mount at the same path.
 */
import { shQuote } from '../mesh/probe-script.js';
import type { VolumeMountPoint, VolumePlan } from './volumes.js';

export const MARKER_FILE = '.test-marker';

export type MarkerStep =
  | { kind: 'write'; service: string; path: string; marker: string }
  | { kind: 'expect-contains'; service: string; path: string; marker: string }
  | { kind: 'expect-not-contains'; service: string; path: string; marker: string };

const file = (m: VolumeMountPoint): string => `${m.mountPath.replace(/\/+$/, '')}/${MARKER_FILE}`;

export function planMarkers(plan: VolumePlan, options: { privateIsolation?: boolean } = {}): MarkerStep[] {
  const ownerOf = new Map(plan.sharedVolumes.map((v) => [v.claim, v.owner]));
  const places = new Map<string, VolumeMountPoint[]>();
  for (const m of plan.mounts) {
    if (!m.shared) continue;
    const k = `${m.claim}\u0000${m.subPath}`;
    places.set(k, [...(places.get(k) ?? []), m]);
  }
  type Written = { writer: VolumeMountPoint; marker: string; readers: VolumeMountPoint[] };
  const written: Written[] = [];
  for (const mounts of places.values()) {
    const services = new Set(mounts.map((m) => m.service));
    if (services.size < 2) continue;
    const owner = ownerOf.get(mounts[0]!.claim);
    const sorted = [...mounts].sort((a, b) => a.service.localeCompare(b.service) || a.mountPath.localeCompare(b.mountPath));
    // The owner writes where it mounts the place; otherwise the first writable mount by name.
    const writer = sorted.find((m) => m.service === owner && !m.readOnly) ?? sorted.find((m) => !m.readOnly);
    if (!writer) continue;
    written.push({ writer, marker: `${writer.service}-marker`, readers: sorted.filter((m) => m !== writer) });
  }
  // Owner-written places first, then by writer name: jellyfin's library before nzbget's downloads.
  written.sort((a, b) => Number(ownerOf.get(b.writer.claim) === b.writer.service) - Number(ownerOf.get(a.writer.claim) === a.writer.service) || a.writer.service.localeCompare(b.writer.service));

  const steps: MarkerStep[] = [];
  for (const w of written) {
    steps.push({ kind: 'write', service: w.writer.service, path: file(w.writer), marker: w.marker });
    for (const r of w.readers) steps.push({ kind: 'expect-contains', service: r.service, path: file(r), marker: w.marker });
  }
  for (const w of written) {
    for (const m of plan.mounts) {
      if (m.claim === w.writer.claim && m.subPath !== w.writer.subPath) steps.push({ kind: 'expect-not-contains', service: m.service, path: file(m), marker: w.marker });
    }
  }
  if (options.privateIsolation) {
    for (const p of plan.mounts.filter((m) => !m.shared)) {
      const marker = `${p.claim}-marker`;
      steps.push({ kind: 'write', service: p.service, path: file(p), marker });
      for (const o of plan.mounts) {
        if (o.service !== p.service && o.mountPath === p.mountPath) steps.push({ kind: 'expect-not-contains', service: o.service, path: file(o), marker });
      }
    }
  }
  return steps;
}

/** The command to exec in the service's pod (`sh -c`), as upstream does it with echo and cat. */
export function markerCommand(step: MarkerStep): string[] {
  if (step.kind === 'write') return ['sh', '-c', `echo ${shQuote(step.marker)} > ${shQuote(step.path)}`];
  // A missing file reads as empty: "does not contain" holds, "contains" fails with the reason shown.
  return ['sh', '-c', `cat ${shQuote(step.path)} 2>/dev/null || true`];
}

/** Judges a read step's output; write steps pass when the exec succeeded (judged by the caller). */
export function judgeMarkerRead(step: MarkerStep, output: string): { ok: boolean; detail: string } {
  const has = output.includes(step.marker);
  if (step.kind === 'expect-contains') return { ok: has, detail: has ? `${step.service} sees ${step.marker} at ${step.path}` : `${step.service} does not see ${step.marker} at ${step.path}; read ${JSON.stringify(output.slice(0, 200))}` };
  if (step.kind === 'expect-not-contains') return { ok: !has, detail: has ? `${step.service} sees ${step.marker} at ${step.path}, which must stay separate` : `${step.service} does not see ${step.marker} at ${step.path}` };
  return { ok: true, detail: `${step.service} wrote ${step.marker} to ${step.path}` };
}
