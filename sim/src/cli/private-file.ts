/**
 * Writing the admin kubeconfig where another local user may have been first. The default path is
 * upstream's `/tmp/<name>-kubeconfig` (lattice-cli install.rs at 1236706e, line 177), in a folder
 * every user can write: a planted symlink would send the admin token wherever it points, and a file
 * someone else created would stay theirs to read. So: never follow a symlink, never write into a
 * file another user owns or that has a second name (hard link), and leave the file 0600.
 */
import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, lstatSync, openSync, writeSync, type Stats } from 'node:fs';

export class UnsafePathError extends Error {}

function refuseIfUnsafe(path: string, st: Stats, uid: number): void {
  const fix = 'remove it or pass --kubeconfig-out <path>';
  if (st.isSymbolicLink()) throw new UnsafePathError(`refusing to write the kubeconfig to ${path}: it is a symbolic link; ${fix}`);
  if (!st.isFile()) throw new UnsafePathError(`refusing to write the kubeconfig to ${path}: it is not a regular file; ${fix}`);
  if (st.uid !== uid) throw new UnsafePathError(`refusing to write the kubeconfig to ${path}: it belongs to another user (uid ${st.uid}); ${fix}`);
  if (st.nlink > 1) throw new UnsafePathError(`refusing to write the kubeconfig to ${path}: it has ${st.nlink} hard links; ${fix}`);
}

const currentUid = (): number => process.getuid?.() ?? 0;

/** Checks, before any work starts, that `path` can be written safely (absent, or our own plain file). */
export function checkPrivateFilePath(path: string, uid = currentUid()): void {
  let st: Stats;
  try { st = lstatSync(path); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  refuseIfUnsafe(path, st, uid);
}

/** Writes `content` to `path` with mode 0600, refusing symlinks, others' files and hard links. */
export function writePrivateFile(path: string, content: string, uid = currentUid()): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    checkPrivateFilePath(path, uid);
    // O_NOFOLLOW: a symlink swapped in since the check fails here (ELOOP) instead of being followed.
    try { fd = openSync(path, constants.O_WRONLY | constants.O_NOFOLLOW); } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePathError(`refusing to write the kubeconfig to ${path}: it is a symbolic link; remove it or pass --kubeconfig-out <path>`);
      throw e2;
    }
  }
  try {
    // What was opened is judged, not the name: it may have been swapped since the check.
    refuseIfUnsafe(path, fstatSync(fd), uid);
    fchmodSync(fd, 0o600);
    // Emptied only once the file is known to be ours.
    ftruncateSync(fd, 0);
    const buf = Buffer.from(content);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, off);
  } finally {
    closeSync(fd);
  }
}
