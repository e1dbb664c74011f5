// Module hooks that run the target's TypeScript without ts-node's start-up cost: each .ts file is
// transpiled once (TypeScript's transpileModule, types erased, no type-check) and the output is
// cached under <repo>/.cache/sim-ts keyed by path and content, so a warm `lattice` or daemon start
// never loads the TypeScript compiler. Relative `.js` specifiers fall back to the `.ts` source
// (the NodeNext convention the project follows).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SALT = 'lattice-sim-ts-hooks-v1';
const ROOT_CACHE = fileURLToPath(new URL('../../.cache/sim-ts/', import.meta.url));
let cacheDir;
let ts;

function cache() {
  if (cacheDir) return cacheDir;
  for (const dir of [process.env.LATTICE_SIM_TS_CACHE, ROOT_CACHE, join(tmpdir(), 'lattice-sim-ts-cache')].filter(Boolean)) {
    try { mkdirSync(dir, { recursive: true }); cacheDir = dir; return dir; } catch { /* try the next */ }
  }
  return undefined;
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js') && err?.code === 'ERR_MODULE_NOT_FOUND') {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha256').update(SALT).update('\0').update(path).update('\0').update(source).digest('hex');
  const dir = cache();
  const file = dir && join(dir, `${key}.mjs`);
  if (file) {
    try { return { format: 'module', source: readFileSync(file, 'utf8'), shortCircuit: true }; } catch { /* not cached yet */ }
  }
  ts ??= (await import('typescript')).default;
  const out = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
      inlineSourceMap: true, inlineSources: false,
    },
  }).outputText;
  if (file) {
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, out);
      renameSync(tmp, file);
    } catch { /* a read-only cache only costs speed */ }
  }
  return { format: 'module', source: out, shortCircuit: true };
}
