import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatCycle, formatCycleEnd, formatCycleStart, formatResultLine, type ProbeLineTarget } from '../../../support/mesh/probe-log-format.js';
import { hasCompleteCycleSince, latestVerdicts, readProbeLogs } from '../../../support/mesh/probe-log.js';

const T: ProbeLineTarget[] = [
  { target: 'api-gateway', expected: 'ALLOWED', reason: 'bilateral agreement' },
  { target: 'api-orders', expected: 'BLOCKED', reason: 'web not allowed by orders' },
  { target: 'cache', expected: 'BLOCKED', reason: 'no direct cache access (really)' },
];
const cycle = (n: number, at: number, codes: string[], src = 'frontend-web'): string => formatCycle(src, n, at, T, (t) => codes[T.indexOf(t)]!);
const seen = (text: string | string[]): string[] => [...latestVerdicts(readProbeLogs(text)).values()].map((r) => `${r.source}->${r.target}=${r.code}@${r.cycle}`).sort();

test('the latest complete cycle wins', () => {
  const log = cycle(1, 100, ['200', '000', '000']) + cycle(2, 130, ['200', '403', '200']);
  assert.deepEqual(seen(log), ['frontend-web->api-gateway=200@2', 'frontend-web->api-orders=403@2', 'frontend-web->cache=200@2']);
  const r = readProbeLogs(log);
  assert.equal(r.cycles.length, 2);
  assert.equal(r.allCycles, true);
  const lean = readProbeLogs(log, { latestOnly: true });
  assert.deepEqual([lean.allCycles, lean.cycles.map((c) => c.cycle)], [false, [2]], 'latestOnly keeps only the latest complete cycles');
  assert.equal(readProbeLogs(log).cycles.length, 2, 'every complete cycle is kept by default');
  assert.deepEqual(seen(log), [...latestVerdicts(lean).values()].map((x) => `${x.source}->${x.target}=${x.code}@${x.cycle}`).sort());
  assert.equal(r.latest.get('frontend-web')?.at, 130);
});

test('a cycle without its end marker (in progress, cut tail) does not count', () => {
  const partial = formatCycleStart('frontend-web', 3, 160, 3) + '\n' + formatResultLine('frontend-web', 3, T[0]!, '000') + '\n';
  assert.deepEqual(seen(cycle(2, 130, ['200', '000', '000']) + partial), ['frontend-web->api-gateway=200@2', 'frontend-web->api-orders=000@2', 'frontend-web->cache=000@2']);
  assert.deepEqual(seen(partial), []);
});

test('a last line without its newline is not trusted, even when it looks whole', () => {
  const whole = cycle(1, 100, ['200', '000', '000']);
  assert.deepEqual(seen(whole.slice(0, -1)), []);
  assert.equal(seen(whole).length, 3);
});

test('a tail cut into a cycle: orphan results before the first start are ignored', () => {
  const log = cycle(4, 100, ['200', '000', '000']).split('\n').slice(2).join('\n') + cycle(5, 130, ['200', '000', '403']);
  const r = readProbeLogs(log);
  assert.equal(r.orphanResults, 2);
  assert.deepEqual(seen(log), ['frontend-web->api-gateway=200@5', 'frontend-web->api-orders=000@5', 'frontend-web->cache=403@5']);
});

test('a restart counts from 1 again: position decides, not the cycle number', () => {
  const before = cycle(7, 100, ['000', '000', '000']);
  const interrupted = formatCycleStart('frontend-web', 8, 130, 3) + '\n' + formatResultLine('frontend-web', 8, T[0]!, '200') + '\n';
  const after = cycle(1, 50, ['200', '403', '000']); // the new container's clock may even be behind
  assert.deepEqual(seen(before + interrupted + 'probe restarted\n' + after), ['frontend-web->api-gateway=200@1', 'frontend-web->api-orders=403@1', 'frontend-web->cache=000@1']);
});

test('noise between lines, text glued before a line, and CRLF endings are tolerated', () => {
  const lines = cycle(1, 100, ['200', '000', '000']).split('\n');
  const noisy = [lines[0], 'WARN something', lines[1], '', `garbage-without-newline${lines[2]}`, 'curl: (6) Could not resolve host', lines[3], lines[4]].join('\r\n') + '\r\n';
  assert.deepEqual(seen(noisy), ['frontend-web->api-gateway=200@1', 'frontend-web->api-orders=000@1', 'frontend-web->cache=000@1']);
  assert.ok(readProbeLogs(noisy).ignoredLines >= 2);
});

test('inconsistent, duplicated, foreign or miscounted lines spoil their cycle instead of being believed', () => {
  const base = cycle(1, 100, ['200', '000', '000']);
  const good = cycle(2, 130, ['000', '000', '000']);
  const variants = [
    // verdict does not follow from the code (all three verdicts agree, the code does not)
    good.replace(formatResultLine('frontend-web', 2, T[0]!, '000'), formatResultLine('frontend-web', 2, T[0]!, '200').replace('code=200', 'code=000')),
    good.replace('code=000 verdict=BLOCKED :: api-gateway', 'code=000 verdict=ALLOWED :: api-gateway'),
    // readable forms disagree with the fields
    good.replace('frontend-web->api-orders:BLOCKED', 'frontend-web->api-orders:ALLOWED'),
    good.replace('api-orders: BLOCKED', 'api-users: BLOCKED'),
    // a target twice instead of another one
    good.replace(formatResultLine('frontend-web', 2, T[2]!, '000'), formatResultLine('frontend-web', 2, T[1]!, '000')),
    // a line from another cycle number
    good.replace(formatResultLine('frontend-web', 2, T[2]!, '000'), formatResultLine('frontend-web', 1, T[2]!, '000')),
    // end marker announces another count
    good.replace(formatCycleEnd('frontend-web', 2, 3), formatCycleEnd('frontend-web', 2, 2)),
    // a line missing
    good.replace(formatResultLine('frontend-web', 2, T[2]!, '000') + '\n', ''),
    // UNEXPECTED tag without the note, or the other way round
    good.replace('api-orders: BLOCKED (web not allowed by orders)', 'api-orders: BLOCKED (UNEXPECTED - web not allowed by orders)'),
  ];
  for (const v of variants) {
    assert.deepEqual(seen(base + v), ['frontend-web->api-gateway=200@1', 'frontend-web->api-orders=000@1', 'frontend-web->cache=000@1'], v);
  }
});

test('several sources in one text, and several pods of one source ordered by the probe clock', () => {
  const mixed = [cycle(1, 100, ['200', '000', '000'], 'frontend-web'), cycle(1, 101, ['000', '000', '000'], 'frontend-admin')];
  // Interleave line by line, as a merged stream would.
  const a = mixed[0]!.split('\n'); const b = mixed[1]!.split('\n');
  const interleaved = a.flatMap((l, i) => [l, b[i] ?? '']).filter((l) => l !== '').join('\n') + '\n';
  assert.equal(seen(interleaved).length, 6);
  const oldPod = cycle(9, 500, ['000', '000', '000']);
  const newPod = cycle(2, 600, ['200', '403', '403']);
  assert.deepEqual(seen([newPod, oldPod]), seen(newPod), 'the later clock wins across pods, whatever the order');
  assert.deepEqual(seen([oldPod, newPod]), seen(newPod));
  const r = readProbeLogs([newPod, oldPod]);
  assert.equal(hasCompleteCycleSince(r, ['frontend-web'], 600), true);
  assert.equal(hasCompleteCycleSince(r, ['frontend-web'], 601), false);
  assert.equal(hasCompleteCycleSince(r, ['frontend-web', 'frontend-admin'], 0), false);
});

// ---------- properties ----------
const codeArb = fc.constantFrom('200', '201', '204', '301', '302', '403', '404', '503', '000');
const logArb = fc.array(fc.record({ src: fc.constantFrom('frontend-a', 'frontend-b'), codes: fc.array(codeArb, { minLength: 3, maxLength: 3 }) }), { minLength: 1, maxLength: 8 });

function buildLog(cycles: { src: string; codes: string[] }[]): { text: string; truth: Set<string> } {
  const truth = new Set<string>();
  const counter = new Map<string, number>();
  let text = '';
  cycles.forEach((c, i) => {
    const n = (counter.get(c.src) ?? 0) + 1;
    counter.set(c.src, n);
    T.forEach((t, j) => truth.add(`${c.src}->${t.target}=${c.codes[j]}@${n}`));
    text += formatCycle(c.src, n, 1000 + i, T, (t) => c.codes[T.indexOf(t)]!);
  });
  return { text, truth };
}

test('property: noise lines anywhere never change the result: the last cycle of each source', () => {
  fc.assert(fc.property(logArb, fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 60 }).filter((s) => !s.includes('\n'))), { maxLength: 20 }), (cycles, noise) => {
    const { text } = buildLog(cycles);
    const lines = text.split('\n'); lines.pop();
    for (const [pos, s] of noise) lines.splice(pos % (lines.length + 1), 0, s);
    const noisy = lines.join('\n') + '\n';
    assert.deepEqual(seen(noisy), seen(text));
    // ... and the last cycle per source is what was read.
    const lastBySrc = new Map(cycles.map((c) => [c.src, c]));
    assert.equal(seen(text).length, lastBySrc.size * T.length);
  }), { numRuns: 300 });
});

test('property: truncation, cut lines and glued garbage never invent a result', () => {
  fc.assert(fc.property(logArb, fc.nat(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 80 })), { maxLength: 5 }), fc.string({ maxLength: 30 }),
    (cycles, headCut, tailCut, cuts, garbage) => {
      const { text, truth } = buildLog(cycles);
      let t = text.slice(headCut % text.length, text.length - (tailCut % text.length));
      for (const [pos, len] of cuts) { const p = pos % (t.length + 1); t = t.slice(0, p) + garbage + t.slice(p + len); }
      const got = seen(t);
      for (const r of got) assert.ok(truth.has(r), `invented ${r}`);
      // Whatever survives of a source comes from one single cycle.
      const cyclesPerSource = new Map<string, Set<string>>();
      for (const r of got) { const [src] = r.split('->'); const c = r.split('@')[1]!; cyclesPerSource.set(src!, new Set([...(cyclesPerSource.get(src!) ?? []), c])); }
      for (const s of cyclesPerSource.values()) assert.equal(s.size, 1);
    }), { numRuns: 500 });
});

test('property: arbitrary text never throws and yields nothing unless it holds whole cycles', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
    assert.deepEqual(seen(s), []);
  }), { numRuns: 500 });
});

test('reading stays linear in the log length, however much of it is noise or broken probe lines', () => {
  const cpu = (): number => { const u = process.cpuUsage(); return u.user + u.system; };
  const best = (f: () => void): number => {
    let b = Infinity;
    for (let i = 0; i < 5; i++) { const t = cpu(); f(); b = Math.min(b, cpu() - t); }
    return Math.max(b, 1);
  };
  // A plain pass over the same lines: normalises away cache and memory effects of a bigger text.
  const baseline = (text: string): void => { let ls = 0; let n = 0; for (;;) { const nl = text.indexOf('\n', ls); if (nl < 0) break; n += text.slice(ls, nl).trim().length; ls = nl + 1; } if (n < 0) throw new Error(); };
  const cost = (text: string): number => best(() => readProbeLogs(text)) / best(() => baseline(text));
  const noise = (n: number): string => 'nginx: GET / 200 from 10.0.0.1 with some words\n'.repeat(n) + cycle(1, 1, ['200', '000', '000']);
  const broken = (n: number): string => cycle(1, 1, ['200', '000', '000']) + '[probe] cycle=1 src=frontend-web tgt\n'.repeat(n);
  for (const make of [noise, broken]) {
    const small = cost(make(5_000));
    const large = cost(make(100_000));
    // Linear reading keeps the ratio to a plain pass about constant; a search running back or
    // ahead over the text multiplies it by ~20 for 20× the lines.
    assert.ok(large / small < 8, `${make.name}: ${small.toFixed(2)}× a plain pass at 5k lines, ${large.toFixed(2)}× at 100k`);
    assert.equal(seen(make(1000)).length, 3);
  }
});
