import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { isAbortOnce, isBookkeeping, isHelpText, isVerdictReason, onlyLogs, strykerPlugins } from '../../../scripts/mutants/ignorers.mjs';

type Node = { type: string; [k: string]: unknown };

/** Every node of a TypeScript snippet with its parent, as Stryker's ignorers see them. */
function nodes(code: string): Array<{ node: Node; parent?: Node }> {
  const out: Array<{ node: Node; parent?: Node }> = [];
  const walk = (node: Node, parent?: Node) => {
    out.push({ node, ...(parent ? { parent } : {}) });
    for (const [k, v] of Object.entries(node)) {
      if (['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments'].includes(k)) continue;
      for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') walk(c as Node, node);
    }
  };
  walk(parse(code, { sourceType: 'module', allowReturnOutsideFunction: true, plugins: ['typescript'] }).program as unknown as Node);
  return out;
}
const source = (code: string, n: Node) => code.slice(n.start as number, n.end as number);
const ignoredBy = (code: string, pred: (n: Node, p?: Node) => boolean) => nodes(code).filter(({ node, parent }) => pred(node, parent)).map(({ node }) => source(code, node));

test('log calls, and code that does nothing but log, are ignored; code that also acts is not', () => {
  const code = [
    'ctx.log(`operator: scaling ${n}`);',
    'if (!signal.aborted) ctx.log("x");',
    'p.catch((e) => log(e.message));',
    'function f() { this.opts.log?.(line); }',
    'if (faultOn("no-pivot")) { ctx.log("skipped"); return; }',
    'queue.add(name);',
    'if (a) log("a"); else act();',
  ].join('\n');
  assert.deepEqual(ignoredBy(code, onlyLogs), [
    'ctx.log(`operator: scaling ${n}`);', 'ctx.log(`operator: scaling ${n}`)',
    'if (!signal.aborted) ctx.log("x");', 'ctx.log("x");', 'ctx.log("x")',
    '(e) => log(e.message)', 'log(e.message)',
    '{ this.opts.log?.(line); }', 'this.opts.log?.(line);', 'this.opts.log?.(line)',
    'ctx.log("skipped");', 'ctx.log("skipped")',
    'log("a");', 'log("a")',
  ]);
});

test('help text: a flag\'s help property and *_HELP constants, nothing else', () => {
  const code = 'const TOP_HELP = `usage`; const HELPER = 1; const f = { long: "file", help: "Path" }; const g = { helpful: "x" };';
  assert.deepEqual(ignoredBy(code, isHelpText), ['TOP_HELP = `usage`', 'help: "Path"']);
});

test('a verdict\'s reason is ignored; a condition\'s reason (part of the API) is not', () => {
  const code = 'return { verdict: "dropped", reason: `no egress` }; const c = { type: "Ready", reason: "ClusterReady" };';
  assert.deepEqual(ignoredBy(code, isVerdictReason), ['reason: `no egress`']);
});

test('bookkeeping: updates of the verdict counters and the rolling count, nothing that also acts', () => {
  const code = 'counts[d.verdict] += 1; rolling += on ? 1 : -1; snapshot = undefined; replicas += 1; counts = {}; total.counts += 1;';
  assert.deepEqual(ignoredBy(code, isBookkeeping), ['counts[d.verdict] += 1;', 'counts[d.verdict] += 1', 'rolling += on ? 1 : -1;', 'rolling += on ? 1 : -1', 'counts = {};', 'counts = {}']);
});

test('abort-once: only the { once: true } of an abort listener, not the listener or other events', () => {
  const code = "signal.addEventListener('abort', unwatch, { once: true }); el.addEventListener('close', f, { once: true }); s.addEventListener('abort', g, { once: true, passive: true });"
    // As Stryker sees it once it has placed the mutants of the event name (mutant schemata).
    + " t.addEventListener(stryMutAct_9fa48('1') ? '' : (stryCov_9fa48('1'), 'abort'), h, { once: true });";
  assert.deepEqual(ignoredBy(code, isAbortOnce), ['{ once: true }', '{ once: true }']);
});

test('the plugins are declared under the names stryker.config.mjs uses, each giving its reason', async () => {
  // @ts-expect-error the Stryker config is plain JS without declarations
  const config = (await import('../../../stryker.config.mjs')).default as { ignorers: string[]; plugins: string[] };
  const names = strykerPlugins.map((p) => `${p.kind}:${p.name}`);
  assert.deepEqual(names, config.ignorers.map((n) => `Ignore:${n}`));
  assert.ok(config.plugins.includes('./scripts/mutants/ignorers.mjs'));
  const [logLines] = strykerPlugins;
  const call = nodes('ctx.log("x")').find(({ node }) => node.type === 'CallExpression')!.node;
  assert.match(logLines!.value.shouldIgnore({ node: call }) ?? '', /^log line: /);
});
