// Starts a services runtime with one script pod and prints the pod's host pid; then waits to be killed.
import { latticeService } from '../fixtures.js';
import { podOf, startWorld, until } from '../world.js';

const w = await startWorld({ namespaces: ['orphans'] });
w.store.apply(latticeService('looper', 'orphans', { containers: { main: { image: 'busybox', command: ['/bin/sh', '-c', 'while true; do sleep 0.1; done'] } } }));
await until('looper running', () => podOf(w.store, 'orphans', 'looper'), 30_000);
const pids = await until('a pod process', () => { const p = w.runtime.processIds(); return p.length > 0 && p; }, 30_000);
process.stdout.write(`PID ${pids[0]} ${w.workDir}\n`);
setInterval(() => undefined, 60_000);
