/**
 * Whether a folder the run writes into (work folder, reports) can be used: it exists as a folder
 * or can be created, and files can be made in it. Checked at start-up, so a bad path is one line
 * instead of a raw error mid-run, or Node's recursive mkdir looping for ever (it does under /proc).
 */
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What is wrong with `path` as a folder to write into, or undefined when it is fine. */
export function folderProblem(path: string): string | undefined {
  // The deepest part of the path that exists: the folder itself, or where it would be created.
  let existing = path;
  for (;;) {
    try {
      const st = statSync(existing);
      if (!st.isDirectory()) return existing === path ? 'exists and is not a folder' : `cannot be created: ${existing} is not a folder`;
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') return `cannot be used (${code ?? 'error'} on ${existing})`;
      const parent = dirname(existing);
      if (parent === existing) return 'cannot be created: no part of its path exists';
      existing = parent;
    }
  }
  // Try for real: permission bits say nothing for root, and /proc or a read-only mount refuse anyway.
  try {
    rmdirSync(mkdtempSync(join(existing, '.lattice-write-check-')));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return existing === path ? `is not writable (${code})` : `cannot be created: ${existing} is not writable (${code})`;
  }
  return undefined;
}

/** What kind of thing is at `path`: a FIFO or a device must never be opened as a file (open blocks, reads never end). */
export function describeRegularFile(path: string): 'file' | 'missing' | 'folder' | 'fifo' | 'device' | 'socket' | 'other' {
  try {
    const st = statSync(path);
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return 'folder';
    if (st.isFIFO()) return 'fifo';
    if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
    if (st.isSocket()) return 'socket';
    return 'other';
  } catch {
    return 'missing';
  }
}
