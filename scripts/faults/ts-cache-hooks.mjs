// Module hooks for the many short Cucumber runs of `npm run faults` / `npm run soak`: each suite
// .ts file is transpiled once (types erased, no type-check, as ts-node's transpileOnly does) and
// cached under <repo>/.cache/suite-ts keyed by path and content, so a warm run does not load the
// TypeScript compiler at all. Relative `.js` specifiers fall back to the `.ts` source (NodeNext).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SALT = 'lattice-acceptance-suite-ts-v1';
const CACHE = fileURLToPath(new URL('../../.cache/suite-ts/', import.meta.url));
let ts;
let cacheReady;

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js') && err?.code === 'ERR_MODULE_NOT_FOUND') return next(`${specifier.slice(0, -3)}.ts`, context);
    throw err;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha256').update(SALT).update('\0').update(path).update('\0').update(source).digest('hex');
  const file = `${CACHE}${key}.mjs`;
  try { return { format: 'module', source: readFileSync(file, 'utf8'), shortCircuit: true }; } catch { /* not cached yet */ }
  ts ??= (await import('typescript')).default;
  const out = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
  }).outputText;
  try {
    if (!cacheReady) { mkdirSync(CACHE, { recursive: true }); cacheReady = true; }
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, out);
    renameSync(tmp, file);
  } catch { /* an unwritable cache only costs speed */ }
  return { format: 'module', source: out, shortCircuit: true };
}
