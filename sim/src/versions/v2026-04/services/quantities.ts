/**
 * The checks b5d50e90 runs on a container's quantities and file modes, with its words:
 * ResourceRequirements::validate (crd/workload/resources.rs:933-1000) and FileMount::validate
 * (crd/workload/container.rs:433-455, :538-580). Upstream parses with Rust's `u64` and `f64`
 * parsers, so the grammars below are theirs (a leading '+', "inf", "NaN", "1e3" parse as f64).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

const U64_MAX = 18446744073709551615n;
/** Rust `str::parse::<u64>()`: optional '+', decimal digits, no overflow. */
function parsesU64(s: string): boolean {
  if (!/^\+?[0-9]+$/.test(s)) return false;
  return BigInt(s.replace(/^\+/, '')) <= U64_MAX;
}
/** Rust `str::parse::<f64>()`: sign, digits with an optional point and exponent, or inf/infinity/nan. */
function parsesF64(s: string): boolean {
  return /^[+-]?(inf|infinity|nan|([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?)$/i.test(s);
}

/** resources.rs:962-981 */
function cpuError(q: string, container: string, field: string): string | undefined {
  const ok = q.endsWith('m') ? parsesU64(q.slice(0, -1)) : parsesF64(q);
  return ok ? undefined : `container '${container}' ${field}.cpu: invalid quantity '${q}' (expected e.g., '100m', '1', '0.5')`;
}

const MEMORY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'k', 'M', 'G', 'T', 'P', 'E'];
/** resources.rs:983-1000: the first suffix in this order that ends the text is cut off. */
function memoryError(q: string, container: string, field: string): string | undefined {
  const suffix = MEMORY_SUFFIXES.find((s) => q.endsWith(s));
  const ok = suffix ? parsesU64(q.slice(0, -suffix.length)) || parsesF64(q.slice(0, -suffix.length)) : parsesU64(q);
  return ok ? undefined : `container '${container}' ${field}.memory: invalid quantity '${q}' (expected e.g., '128Mi', '1Gi')`;
}

/** ResourceRequirements::validate: requests before limits, cpu before memory. */
export function quantityError(container: string, resources: any): string | undefined {
  for (const field of ['requests', 'limits'] as const) {
    const q = resources?.[field];
    if (!q) continue;
    if (q.cpu != null) { const e = cpuError(String(q.cpu), container, field); if (e) return e; }
    if (q.memory != null) { const e = memoryError(String(q.memory), container, field); if (e) return e; }
  }
  return undefined;
}

/** container.rs:538-580 */
function modeError(mode: string, container: string, path: string): string | undefined {
  const at = `container '${container}' file '${path}': mode '${mode}'`;
  const digits = mode.startsWith('0') ? mode.slice(1) : mode;
  if (digits.length < 3 || digits.length > 4) return `${at} must be 3-4 octal digits (e.g., '0644')`;
  if (!/^[0-7]+$/.test(digits)) return `${at} contains non-octal digits`;
  const value = parseInt(digits, 8);
  if (value & 0o7000) return `${at} sets special bits (setuid/setgid/sticky) which are not allowed`;
  if (value & 0o002) return `${at} is world-writable which is not allowed`;
  return undefined;
}

/** FileMount::validate for every file, in path order (BTreeMap). */
export function filesError(container: string, files: any): string | undefined {
  for (const path of Object.keys(files ?? {}).sort()) {
    const f = files[path] ?? {};
    if (f.mode != null) { const e = modeError(String(f.mode), container, path); if (e) return e; }
    if (f.content == null && f.binaryContent == null && f.source == null) {
      return `container '${container}' file '${path}': must specify content, binary_content, or source`;
    }
  }
  return undefined;
}
