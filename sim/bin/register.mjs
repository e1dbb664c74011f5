// Loads the target's TypeScript from any working directory through the caching hooks next to this
// file (see ts-hooks.mjs); used by the `lattice` and `lattice-sim` wrappers and the daemon.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
