// Stryker ignorer plugins of `npm run mutants`: mutants that cannot change anything a Lattice user
// or the suite can observe are left out by configuration, each with its reason (Stryker reports them
// as Ignored with that reason, and they do not count in the score). Plain JS: Stryker loads
// plugins itself, before any TypeScript hook.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

/** Reasons, also used by the unit tests and docs/MUTATION.md. */
export const REASONS = Object.freeze({
  logLine: 'log line: the target\'s own log (daemon.log, CLI progress) is asserted by no feature and promised by no upstream contract',
  helpText: 'help text: no feature reads `lattice --help`, and upstream\'s wording is clap\'s and its own',
  verdictReason: 'the reason of a data-plane verdict (sim/src/services/policy.ts) is read by nothing: a caller sees only the verdict (refused connection, 403, 503, answer)',
  abortOnce: 'the `{ once: true }` of an \'abort\' listener: an AbortSignal dispatches \'abort\' at most once, so the listener runs once with or without it (an equivalent mutant)',
  bookkeeping: 'the target\'s own bookkeeping: the enforcement point\'s verdict counters (`counts[...]`, read only by sim/test and benchmarks through '
    + 'ServiceRuntime.proxy.counts) and the count of rolling nodes (`rolling`, read only when the seeded fault enforcement-open-during-roll is on, never in a mutant run)',
});

const isLogCallee = (callee) =>
  (callee?.type === 'Identifier' && callee.name === 'log')
  || ((callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression')
    && !callee.computed && callee.property?.type === 'Identifier' && callee.property.name === 'log');

/**
 * A node that does nothing but log: a `log(...)`/`x.log(...)` call, a statement or block of them, an
 * `if` without `else` whose branch only logs, an arrow function whose body only logs.
 */
export function onlyLogs(node) {
  if (!node) return false;
  switch (node.type) {
    case 'CallExpression':
    case 'OptionalCallExpression':
      return isLogCallee(node.callee);
    case 'ExpressionStatement':
      return onlyLogs(node.expression);
    case 'BlockStatement':
      return node.body.length > 0 && node.body.every(onlyLogs);
    case 'IfStatement':
      return !node.alternate && onlyLogs(node.consequent);
    case 'ArrowFunctionExpression':
      return onlyLogs(node.body);
    default:
      return false;
  }
}

const keyName = (prop) => (prop?.type === 'ObjectProperty' && !prop.computed ? (prop.key?.type === 'Identifier' ? prop.key.name : prop.key?.value) : undefined);

/** Help text: a flag's `help: '...'` property, or a constant named `..._HELP` / `HELP_...`. */
export function isHelpText(node) {
  if (!node) return false;
  if (keyName(node) === 'help') return true;
  if (node.type === 'VariableDeclarator' && node.id?.type === 'Identifier') return /(^|_)HELP(_|$)/.test(node.id.name);
  return false;
}

/** The `reason` of an object literal that also has a `verdict`: the data plane's explanation of a decision. */
export function isVerdictReason(node, parent) {
  return keyName(node) === 'reason' && parent?.type === 'ObjectExpression' && parent.properties.some((p) => keyName(p) === 'verdict');
}

/** Names of the target's own counters (see REASONS.bookkeeping); an update of one does nothing a user sees. */
const BOOKKEEPING = new Set(['counts', 'rolling']);
const counterOf = (target) => (target?.type === 'MemberExpression' ? target.object : target);

/** A statement or expression that only updates one of the target's own counters (`counts[v] += 1`, `rolling += …`). */
export function isBookkeeping(node) {
  if (!node) return false;
  if (node.type === 'ExpressionStatement') return isBookkeeping(node.expression);
  const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : undefined;
  const counter = counterOf(target);
  return counter?.type === 'Identifier' && BOOKKEEPING.has(counter.name);
}

/**
 * The original of an expression Stryker already instrumented on its way through (mutant schemata:
 * `stryMutAct(id) ? replacement : (stryCov(id), original)`), the expression itself otherwise.
 */
const original = (node) => {
  if (node?.type === 'ConditionalExpression') return original(node.alternate);
  if (node?.type === 'SequenceExpression') return original(node.expressions.at(-1));
  return node;
};

/** The options object `{ once: true }` passed to `x.addEventListener('abort', listener, …)`. */
export function isAbortOnce(node, parent) {
  if (node?.type !== 'ObjectExpression' || !(parent?.type === 'CallExpression' || parent?.type === 'OptionalCallExpression')) return false;
  const callee = parent.callee;
  const isAdd = (callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression') && !callee.computed && callee.property?.name === 'addEventListener';
  const [instrumented, , options] = parent.arguments ?? [];
  const event = original(instrumented);
  return isAdd && options === node && event?.type === 'StringLiteral' && event.value === 'abort'
    && node.properties.length === 1 && keyName(node.properties[0]) === 'once';
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-lines', {
    shouldIgnore: (path) => (onlyLogs(path.node) ? REASONS.logLine : undefined),
  }),
  declareValuePlugin(PluginKind.Ignore, 'help-text', {
    shouldIgnore: (path) => (isHelpText(path.node) ? REASONS.helpText : undefined),
  }),
  declareValuePlugin(PluginKind.Ignore, 'verdict-reasons', {
    shouldIgnore: (path) => (isVerdictReason(path.node, path.parent) ? REASONS.verdictReason : undefined),
  }),
  declareValuePlugin(PluginKind.Ignore, 'abort-once', {
    shouldIgnore: (path) => (isAbortOnce(path.node, path.parent) ? REASONS.abortOnce : undefined),
  }),
  declareValuePlugin(PluginKind.Ignore, 'bookkeeping', {
    shouldIgnore: (path) => (isBookkeeping(path.node) ? REASONS.bookkeeping : undefined),
  }),
];
