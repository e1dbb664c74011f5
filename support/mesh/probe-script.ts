/**
 * The traffic-probe script a generator pod runs as `/bin/sh -c <script>` (POSIX sh: dash, busybox).
 * It first waits for policy (§4.4: up to N tries until no expected-blocked URL answers), then loops
 * forever: a start marker, one line per target, an end marker, a pause. Each result line carries
 * cycle, source, target, HTTP code and verdict, followed by upstream's two readable forms:
 *
 *   [probe] cycle=3 start src=frontend-web targets=8 at=1764140000
 *   [probe] cycle=3 src=frontend-web tgt=api-orders code=000 verdict=BLOCKED :: api-orders: BLOCKED (web not allowed by orders) :: frontend-web->api-orders:BLOCKED
 *   [probe] cycle=3 end src=frontend-web targets=8
 */
import { SuiteError } from '../errors.js';
import type { MeshCheck, Verdict } from './checks.js';

export interface PolicyWait {
  /** Tries before proceeding anyway (0 = no wait). */
  tries: number;
  intervalSeconds: number;
  /** Pause once policy looks closed (or the tries ran out). */
  settleSeconds: number;
}

export interface ProbeTiming {
  /** Pause between cycles. */
  intervalSeconds: number;
  /** curl --connect-timeout. */
  connectTimeoutSeconds: number;
  /** curl --max-time, so a callee that accepts and never answers cannot stall the loop. */
  maxTimeSeconds: number;
  policyWait: PolicyWait;
}

/** Upstream's figures (lattice-facts §4.4), for real clusters. */
export const UPSTREAM_PROBE_TIMING: Readonly<ProbeTiming> = Object.freeze({
  intervalSeconds: 30,
  connectTimeoutSeconds: 3,
  maxTimeSeconds: 10,
  policyWait: Object.freeze({ tries: 30, intervalSeconds: 2, settleSeconds: 5 }),
});

/** Short figures for the embedded target, where policy is in place before pods start. */
export const EMBEDDED_PROBE_TIMING: Readonly<ProbeTiming> = Object.freeze({
  intervalSeconds: 0.5,
  connectTimeoutSeconds: 1,
  maxTimeSeconds: 2,
  policyWait: Object.freeze({ tries: 30, intervalSeconds: 0.2, settleSeconds: 0 }),
});

export interface ProbeTarget {
  target: string;
  url: string;
  expected: Verdict;
  reason: string;
}

export interface ProbeScriptInput {
  source: string;
  targets: readonly ProbeTarget[];
  timing?: ProbeTiming;
}

/** Line prefix of everything the probe prints. */
export const PROBE_PREFIX = '[probe] ';

const NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const URL_TEXT = /^[a-z][a-z0-9+.-]*:\/\/[A-Za-z0-9._~:/?#@!$&()*+,;=%[\]-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Single-quotes a word for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function seconds(name: string, v: number): string {
  if (!Number.isFinite(v) || v < 0 || v > 86_400) throw new SuiteError(`probe timing ${name}=${v} is not a number of seconds in 0..86400`, 'fix the timing passed to the probe script');
  // Fixed notation: sleep/curl do not read exponents.
  return String(Math.round(v * 1000) / 1000);
}

function assertName(what: string, v: string): void {
  if (!NAME.test(v)) throw new SuiteError(`probe ${what} ${JSON.stringify(v)} is not a lowercase DNS name`, 'use service names as Lattice accepts them');
}

/** Renders the script; validates every value that lands in it. */
export function renderProbeScript(input: ProbeScriptInput): string {
  const timing = input.timing ?? UPSTREAM_PROBE_TIMING;
  assertName('source', input.source);
  if (input.targets.length === 0) throw new SuiteError(`probe script for ${input.source} has no targets`, 'give every generator pod at least one check');
  const seen = new Set<string>();
  for (const t of input.targets) {
    assertName('target', t.target);
    if (seen.has(t.target)) throw new SuiteError(`probe script for ${input.source} lists target ${t.target} twice`, 'probe each target once per cycle');
    seen.add(t.target);
    if (!URL_TEXT.test(t.url)) throw new SuiteError(`probe URL ${JSON.stringify(t.url)} of ${t.target} is not a plain URL`, 'use an http(s) URL without spaces or quotes');
    if (CONTROL.test(t.reason) || t.reason.includes('::')) throw new SuiteError(`probe reason ${JSON.stringify(t.reason)} of ${t.target} has control characters or "::"`, 'use a one-line reason');
  }
  const blockedUrls = [...new Set(input.targets.filter((t) => t.expected === 'BLOCKED').map((t) => t.url))];
  const lines = [
    `# lattice-acceptance traffic probe for ${input.source}: ${input.targets.length} targets per cycle`,
    `SRC=${shQuote(input.source)}`,
    `TARGETS=${input.targets.length}`,
    `INTERVAL=${seconds('intervalSeconds', timing.intervalSeconds)}`,
    `CONNECT_TIMEOUT=${seconds('connectTimeoutSeconds', timing.connectTimeoutSeconds)}`,
    `MAX_TIME=${seconds('maxTimeSeconds', timing.maxTimeSeconds)}`,
    `WAIT_TRIES=${Math.max(0, Math.floor(timing.policyWait.tries))}`,
    `WAIT_INTERVAL=${seconds('policyWait.intervalSeconds', timing.policyWait.intervalSeconds)}`,
    `SETTLE=${seconds('policyWait.settleSeconds', timing.policyWait.settleSeconds)}`,
    'CODE=000',
    'V=BLOCKED',
    // curl prints 000 itself on failure and exits non-zero; a missing curl also ends as 000.
    'http_code() {',
    `  CODE=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout "$CONNECT_TIMEOUT" --max-time "$MAX_TIME" "$1" 2>/dev/null) || CODE=000`,
    '  case $CODE in [0-9][0-9][0-9]) ;; *) CODE=000 ;; esac',
    '}',
    'probe() {',
    '  http_code "$2"',
    '  case $CODE in 200|201|204|301|302) V=ALLOWED ;; *) V=BLOCKED ;; esac',
    `  if [ "$V" = "$3" ]; then NOTE=$4; TAIL=''; else NOTE="UNEXPECTED - $4"; TAIL=' (UNEXPECTED)'; fi`,
    `  printf '${PROBE_PREFIX}cycle=%s src=%s tgt=%s code=%s verdict=%s :: %s: %s (%s) :: %s->%s:%s%s\\n' "$CYCLE" "$SRC" "$1" "$CODE" "$V" "$1" "$V" "$NOTE" "$SRC" "$1" "$V" "$TAIL"`,
    '}',
    'still_open() {',
    ...(blockedUrls.length === 0
      ? ['  return 1']
      : [
          `  for u in ${blockedUrls.map(shQuote).join(' ')}; do`,
          '    http_code "$u"',
          '    case $CODE in 200|201|204) return 0 ;; esac',
          '  done',
          '  return 1',
        ]),
    '}',
    'policy_wait() {',
    '  try=0',
    '  while [ "$try" -lt "$WAIT_TRIES" ]; do',
    '    try=$((try + 1))',
    '    if still_open; then',
    `      printf '${PROBE_PREFIX}policy-wait src=%s try=%s/%s open\\n' "$SRC" "$try" "$WAIT_TRIES"`,
    '      sleep "$WAIT_INTERVAL"',
    '    else',
    `      printf '${PROBE_PREFIX}policy-wait src=%s try=%s/%s closed\\n' "$SRC" "$try" "$WAIT_TRIES"`,
    '      sleep "$SETTLE"',
    '      return 0',
    '    fi',
    '  done',
    `  printf '${PROBE_PREFIX}policy-wait src=%s proceeding after %s tries\\n' "$SRC" "$WAIT_TRIES"`,
    '  sleep "$SETTLE"',
    '}',
    `printf '${PROBE_PREFIX}starting src=%s targets=%s interval=%s\\n' "$SRC" "$TARGETS" "$INTERVAL"`,
    'policy_wait',
    'CYCLE=0',
    'while :; do',
    '  CYCLE=$((CYCLE + 1))',
    '  AT=$(date +%s 2>/dev/null) || AT=0',
    "  case $AT in ''|*[!0-9]*) AT=0 ;; esac",
    `  printf '${PROBE_PREFIX}cycle=%s start src=%s targets=%s at=%s\\n' "$CYCLE" "$SRC" "$TARGETS" "$AT"`,
    ...input.targets.map((t) => `  probe ${shQuote(t.target)} ${shQuote(t.url)} ${t.expected} ${shQuote(t.reason)}`),
    `  printf '${PROBE_PREFIX}cycle=%s end src=%s targets=%s\\n' "$CYCLE" "$SRC" "$TARGETS"`,
    '  sleep "$INTERVAL"',
    'done',
  ];
  return lines.join('\n') + '\n';
}

/** The script for one generator pod, from its checks. */
export function probeScriptFor(source: string, checks: readonly MeshCheck[], timing?: ProbeTiming): string {
  const targets = checks.filter((c) => c.source === source).map((c) => ({ target: c.target, url: c.url, expected: c.expected, reason: c.reason }));
  return renderProbeScript(timing ? { source, targets, timing } : { source, targets });
}
