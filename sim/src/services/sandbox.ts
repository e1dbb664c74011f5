/**
 * Runs a pod's processes (its `/bin/sh -c` container, and exec sessions) on the host. As root, each
 * process gets a private mount namespace (unshare(CLONE_NEWNS), done by a perl one-shot) with a tmpfs root assembled from the
 * host's system folders, the pod's own /tmp, the curl shim, and its volume mounts bound to host
 * folders: two pods bound to the same folder really share files. Without that privilege the
 * process runs unsandboxed and mount paths written in its command are rewritten to the host folders.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFastCurl } from './fastcurl.js';

export interface Mount { path: string; hostDir: string; readOnly?: boolean }

export interface SandboxSpec {
  /** A per-pod folder: mount point of the sandbox root, and home of its /tmp. */
  podDir: string;
  /** Folder holding the curl shim; mounted at /.lattice-sim/bin and first in PATH. */
  shimDir: string;
  mounts: Mount[];
  env: Record<string, string>;
}

const SANDBOX_BIN = '/.lattice-sim/bin';
const ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };

// One perl process (perl-base is on every Debian) does unshare(CLONE_NEWNS), the mounts and the
// chroot with direct syscalls: about 0.1 s per process where unshare + mount(8) took 0.8 s.
// Arguments: arch root tmp shim [path hostDir rw|ro]... -- argv...
const SETUP = `
my %nr = (x86_64 => [272, 165, 157], aarch64 => [97, 40, 167]);
my $sys = $nr{shift @ARGV} or die "lattice-sim sandbox: unsupported architecture\\n";
my ($SYS_unshare, $SYS_mount, $SYS_prctl) = @$sys;
syscall($SYS_prctl, 1, 9); # PR_SET_PDEATHSIG SIGKILL: the container dies with the target
my ($MS_RDONLY, $MS_REMOUNT, $MS_BIND, $MS_REC, $MS_PRIVATE) = (1, 32, 4096, 16384, 262144);
sub mnt { my ($src, $dst, $type, $flags, $data) = @_; syscall($SYS_mount, $src, $dst, $type, $flags, $data) == 0 or die "lattice-sim sandbox: mount $dst: $!\\n"; }
sub mkdirp { my $p = ''; for (grep { length } split m{/}, $_[0]) { $p .= "/$_"; mkdir $p unless -d $p; } }
my ($root, $tmp, $shim, @rest) = @ARGV;
syscall($SYS_unshare, 0x00020000) == 0 or die "lattice-sim sandbox: unshare: $!\\n";
mnt(0, '/', 0, $MS_REC | $MS_PRIVATE, 0);
mnt('lattice-sim-root', $root, 'tmpfs', 0, 'mode=755');
for my $d (qw(bin sbin lib lib32 lib64 libx32 usr etc opt)) {
  if (-l "/$d") { symlink(readlink("/$d"), "$root/$d"); }
  elsif (-d "/$d") { mkdir "$root/$d"; mnt("/$d", "$root/$d", 0, $MS_BIND | $MS_REC, 0); }
}
for my $d (qw(dev proc)) { mkdir "$root/$d"; mnt("/$d", "$root/$d", 0, $MS_BIND | $MS_REC, 0); }
mkdirp("$root/tmp"); mnt($tmp, "$root/tmp", 0, $MS_BIND, 0);
mkdirp("$root${SANDBOX_BIN}"); mnt($shim, "$root${SANDBOX_BIN}", 0, $MS_BIND, 0);
while (@rest && $rest[0] ne '--') {
  my ($path, $host, $mode) = splice(@rest, 0, 3);
  mkdirp("$root$path"); mnt($host, "$root$path", 0, $MS_BIND, 0);
  mnt(0, "$root$path", 0, $MS_REMOUNT | $MS_BIND | $MS_RDONLY, 0) if $mode eq 'ro';
}
shift @rest;
chroot($root) or die "lattice-sim sandbox: chroot: $!\\n";
chdir('/');
exec { $rest[0] } @rest or die "lattice-sim sandbox: $rest[0]: $!\\n";
`;

// Without a sandbox, perl still makes the process die with the target (PR_SET_PDEATHSIG).
const PDEATH = `
my %nr = (x86_64 => 157, aarch64 => 167);
syscall($nr{shift @ARGV}, 1, 9);
exec { $ARGV[0] } @ARGV or die "lattice-sim: $ARGV[0]: $!\\n";
`;

let available: boolean | undefined;
let perl: boolean | undefined;
function perlAvailable(): boolean {
  if (perl === undefined) perl = !!ARCH[process.arch] && spawnSync('perl', ['-e', 'exit 0'], { timeout: 10_000 }).status === 0;
  return perl;
}

/** Whether mount namespaces work here (root, perl, a known architecture); probed once. */
export function sandboxAvailable(): boolean {
  if (available === undefined) {
    if (process.env.LATTICE_SIM_NO_SANDBOX === '1' || process.getuid?.() !== 0 || !ARCH[process.arch]) available = false;
    else {
      const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-sandbox-probe-'));
      try {
        for (const d of ['root', 'tmp', 'bin']) mkdirSync(join(dir, d));
        const r = spawnSync('perl', ['-e', SETUP, '--', ARCH[process.arch], join(dir, 'root'), join(dir, 'tmp'), join(dir, 'bin'), '--', '/bin/sh', '-c', 'echo ok'], { encoding: 'utf8', timeout: 10_000 });
        available = r.status === 0 && r.stdout.trim() === 'ok';
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }
  }
  return available;
}

/** Replaces mount paths (at path boundaries) in a command with their host folders. */
export function rewriteMountPaths(arg: string, mounts: Mount[]): string {
  const sorted = [...mounts].sort((a, b) => b.path.length - a.path.length);
  let out = arg;
  for (const m of sorted) {
    const esc = m.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|[\\s'"=:;(])${esc}(?=$|[/\\s'"&|;)>])`, 'g'), (_all, pre: string) => `${pre}${m.hostDir}`);
  }
  return out;
}

export interface SpawnedProcess { child: ChildProcess; kill(): void }

/** Spawns argv in the pod's sandbox, in its own process group so the whole tree can be killed. */
export function spawnInSandbox(spec: SandboxSpec, argv: string[], opts: { stdin?: boolean } = {}): SpawnedProcess {
  const tmp = join(spec.podDir, 'tmp');
  const root = join(spec.podDir, 'root');
  mkdirSync(tmp, { recursive: true, mode: 0o1777 });
  mkdirSync(root, { recursive: true });
  for (const m of spec.mounts) mkdirSync(m.hostDir, { recursive: true });
  const stdio: ['pipe' | 'ignore', 'pipe', 'pipe'] = [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'];
  let child: ChildProcess;
  if (sandboxAvailable()) {
    const env = { ...spec.env, PATH: `${SANDBOX_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: '/tmp', TMPDIR: '/tmp', LATTICE_SIM_CURL_FULL: `${SANDBOX_BIN}/curl-full` };
    const mounts = [...spec.mounts].sort((a, b) => a.path.length - b.path.length).flatMap((m) => [m.path, m.hostDir, m.readOnly ? 'ro' : 'rw']);
    child = spawn('perl', ['-e', SETUP, '--', ARCH[process.arch], root, tmp, spec.shimDir, ...mounts, '--', ...argv], { env, stdio, detached: true, cwd: '/' });
  } else {
    const env = { ...spec.env, PATH: `${spec.shimDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: tmp, TMPDIR: tmp, LATTICE_SIM_CURL_FULL: join(spec.shimDir, 'curl-full') };
    const rewritten = argv.map((a, i) => (i === 0 ? a : rewriteMountPaths(a, spec.mounts)));
    child = perlAvailable()
      ? spawn('perl', ['-e', PDEATH, '--', ARCH[process.arch], ...rewritten], { env, stdio, detached: true, cwd: tmp })
      : spawn(rewritten[0], rewritten.slice(1), { env, stdio, detached: true, cwd: tmp });
  }
  track(child);
  return { child, kill: () => killGroup(child) };
}

const live = new Set<ChildProcess>();
function track(child: ChildProcess) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
}

export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { try { child.kill('SIGKILL'); } catch { /* already gone */ } }
}

/** Processes still running (for tests that check nothing is left behind). */
export function liveProcessCount(): number { return live.size; }

// No orphan shells when the target exits without stopping its runtimes.
process.once('exit', () => { for (const c of live) killGroup(c); });

/**
 * Writes the curl shim: every curl of a pod goes through the target's enforcement proxy with the
 * pod's identity. `curl` is the compiled stand-in of fastcurl.ts when a C compiler exists, else
 * this shell shim (always present as `curl-full` for the options the stand-in lacks), which runs
 * the real curl with --proxy. https URLs are rewritten to http with their port kept (`https://h/p` →
 * `http://h:443/p`) so the proxy sees the whole URL instead of an opaque CONNECT tunnel.
 */
export function writeCurlShim(shimDir: string): string {
  mkdirSync(shimDir, { recursive: true });
  const realCurl = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p)) ?? '/usr/bin/curl';
  const path = join(shimDir, 'curl-full');
  writeFileSync(path, `#!/bin/sh
# curl shim of the embedded Lattice target: requests go through the enforcement point as this pod.
n=$#
ct=
while [ "$n" -gt 0 ]; do
  a=$1; shift; n=$((n - 1))
  case $ct in next) ct=$a ;; esac
  case $a in
    --connect-timeout) ct=next ;;
    https://*)
      rest=\${a#https://}; hostport=\${rest%%/*}; path=\${rest#"$hostport"}
      case $hostport in *:*) ;; *) hostport=$hostport:443 ;; esac
      a=http://$hostport$path ;;
  esac
  set -- "$@" "$a"
done
if [ -n "$ct" ] && [ "$ct" != next ]; then set -- -H "X-Lattice-Sim-Connect-Timeout: $ct" "$@"; fi
exec ${realCurl} --proxy "http://$LATTICE_SIM_PROXY" --proxy-user "$LATTICE_SIM_POD_TOKEN:x" "$@"
`);
  chmodSync(path, 0o755);
  if (!installFastCurl(shimDir)) { copyFileSync(path, join(shimDir, 'curl')); chmodSync(join(shimDir, 'curl'), 0o755); }
  return join(shimDir, 'curl');
}
