/**
 * The JSONPath subset printer columns use: `.a.b`, `['a.b']` (with `\.` escapes), `[0]`, `[*]` and
 * filters `[?(@.type=="Ready")]`.
 */
type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; value: string };

function parse(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const p = path.trim().replace(/^\{(.*)\}$/, '$1');
  while (i < p.length) {
    if (p[i] === '.') {
      i++;
      let name = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && i + 1 < p.length) { name += p[i + 1]; i += 2; continue; }
        name += p[i++];
      }
      if (name) steps.push({ kind: 'field', name });
    } else if (p[i] === '[') {
      const end = p.indexOf(']', p[i + 1] === '?' ? p.indexOf(')', i) : i);
      const inner = p.slice(i + 1, end).trim();
      i = end + 1;
      let m: RegExpMatchArray | null;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if ((m = inner.match(/^'(.*)'$/) ?? inner.match(/^"(.*)"$/))) steps.push({ kind: 'field', name: m[1].replace(/\\(.)/g, '$1') });
      else if ((m = inner.match(/^\?\(@((?:\.[\w-]+)+)\s*==\s*["']([^"']*)["']\)$/))) {
        steps.push({ kind: 'filter', path: m[1].split('.').filter(Boolean), value: m[2] });
      } else throw new Error(`unsupported JSONPath segment [${inner}] in ${path}`);
    } else {
      i++;
    }
  }
  return steps;
}

/** Every value the path selects (empty when nothing matches). */
export function evalJsonPath(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj];
  for (const s of parse(path)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || v === undefined) continue;
      if (s.kind === 'field' && typeof v === 'object' && !Array.isArray(v)) {
        const x = (v as Record<string, unknown>)[s.name];
        if (x !== undefined) next.push(x);
      } else if (s.kind === 'index' && Array.isArray(v)) {
        const x = v[s.index < 0 ? v.length + s.index : s.index];
        if (x !== undefined) next.push(x);
      } else if (s.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object') next.push(...Object.values(v as object));
      } else if (s.kind === 'filter' && Array.isArray(v)) {
        for (const el of v) {
          let f: unknown = el;
          for (const seg of s.path) f = f && typeof f === 'object' ? (f as Record<string, unknown>)[seg] : undefined;
          if (f !== undefined && String(f) === s.value) next.push(el);
        }
      }
    }
    cur = next;
  }
  return cur;
}
