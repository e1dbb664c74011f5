/**
 * Reports rebuilt from message streams: after a killed run (its html/JUnit are missing or 0 bytes)
 * and for CI shards merged into one report. Each source is a reports folder (its cucumber.ndjson
 * and run-identity.json) or an ndjson file.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { renderHtmlReport } from './html-report.js';
import { renderJunit } from './junit-report.js';
import { mergeStreams, parseNdjson } from './messages.js';
import { readIdentity, type RunIdentity } from './run-identity.js';

export const MESSAGES_FILE = 'cucumber.ndjson';

export interface RebuildResult { html: string; junit: string; scenarios: number; cutLines: number; identities: RunIdentity[] }

export class ReportSourceError extends Error {}

function readSource(source: string): { text: string; identity?: RunIdentity } {
  const isDir = existsSync(source) && statSync(source).isDirectory();
  const file = isDir ? join(source, MESSAGES_FILE) : source;
  if (!existsSync(file)) throw new ReportSourceError(`${source}: no ${isDir ? `${MESSAGES_FILE} in this folder` : 'such file'}; give a reports folder or a Cucumber message (ndjson) file`);
  const identity = readIdentity(isDir ? source : dirname(file));
  return { text: readFileSync(file, 'utf8'), ...(identity ? { identity } : {}) };
}

/** Writes cucumber.html and cucumber.xml into `outDir` from the sources' messages. */
export async function rebuildReports(sources: string[], outDir: string): Promise<RebuildResult> {
  const read = sources.map(readSource);
  const parsed = read.map((r) => parseNdjson(r.text));
  const empty = sources.filter((_, i) => parsed[i]!.envelopes.length === 0);
  if (empty.length) throw new ReportSourceError(`${empty.join(', ')}: no Cucumber messages in it`);
  const envelopes = mergeStreams(parsed.map((p) => p.envelopes));
  const identities = read.flatMap((r) => (r.identity ? [r.identity] : []));
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, 'cucumber.html');
  const junit = join(outDir, 'cucumber.xml');
  writeFileSync(html, await renderHtmlReport(envelopes, identities));
  writeFileSync(junit, renderJunit(envelopes, identities));
  return { html, junit, scenarios: envelopes.filter((e) => e.testCaseStarted).length, cutLines: parsed.reduce((n, p) => n + p.badLines, 0), identities };
}

/** A report file that is missing or 0 bytes (Cucumber wrote it only at the end, and the end never came). */
export function unwritten(path: string): boolean {
  try { return statSync(path).size === 0; } catch { return true; }
}

export const describeSource = (s: string): string => basename(s) || s;
