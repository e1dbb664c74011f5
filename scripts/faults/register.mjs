// Runs the fault and soak scripts' TypeScript through the same transpile-once hooks their
// Cucumber runs use: `node --import ./scripts/faults/register.mjs scripts/faults/run-faults.ts`.
import { register } from 'node:module';

register('./ts-cache-hooks.mjs', import.meta.url);
