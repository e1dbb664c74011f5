/**
 * The tests' container image, built here because no registry is reachable: a rootfs holding only a
 * static busybox (Debian's busybox-static) imported with `docker import`. Built once, when missing.
 */
import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, copyFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_IMAGE = 'lattice-acceptance/busybox:test';
const APPLETS = ['sh', 'cat', 'sleep', 'nc', 'mkdir', 'mv', 'printf', 'echo', 'ls', 'rm', 'true', 'kill'];
const CANDIDATES = [process.env.BUSYBOX, '/bin/busybox', '/usr/bin/busybox'].filter((p): p is string => !!p);

/** True when the ELF file has no program interpreter (PT_INTERP), i.e. runs without a libc in the image. */
export function isStaticElf(bytes: Buffer): boolean {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2) return false;
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (bytes.readUInt32LE(phoff + i * phentsize) === 3) return false;
  }
  return true;
}

function findStaticBusybox(): string {
  for (const p of CANDIDATES) {
    if (existsSync(p) && isStaticElf(readFileSync(p))) return p;
  }
  throw new Error(`no static busybox at ${CANDIDATES.join(' or ')}; install Debian's busybox-static (apt-get install -y busybox-static) or set BUSYBOX`);
}

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try { await docker.getImage(ref).inspect(); return true; } catch { return false; }
}

async function buildImage(docker: Docker): Promise<void> {
  const busybox = findStaticBusybox();
  const root = await mkdtemp(join(tmpdir(), 'lattice-busybox-'));
  try {
    for (const d of ['bin', 'tmp', 'etc/kubernetes', 'etc/rancher/rke2']) await mkdir(join(root, d), { recursive: true });
    await copyFile(busybox, join(root, 'bin/busybox'));
    await chmod(join(root, 'bin/busybox'), 0o755);
    for (const a of APPLETS) await symlink('busybox', join(root, 'bin', a));
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':') as [string, string];
    const progress = await docker.importImage(tar.stdout as unknown as string, { repo, tag, changes: ['CMD ["/bin/sh"]'] } as object);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(progress, (err: Error | null) => (err ? reject(err) : resolve())));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, TEST_IMAGE))) throw new Error(`docker import did not produce ${TEST_IMAGE}`);
}

let built: Promise<void> | undefined;

/** Makes sure TEST_IMAGE exists on the engine (once per process). */
export function ensureTestImage(docker: Docker): Promise<void> {
  built ??= (async () => { if (!(await imageExists(docker, TEST_IMAGE))) await buildImage(docker); })();
  return built;
}
