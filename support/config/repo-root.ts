/** Where the suite's checkout lives, so defaults can be absolute whatever the caller's cwd. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (this file sits in `support/config/`). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder the bare cluster fixture names (`docker-mgmt`, `aws-workload.yaml`) resolve against. */
export const clusterFixturesDir: string = resolve(repoRoot, 'fixtures', 'clusters');
