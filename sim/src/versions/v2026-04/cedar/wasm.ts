/**
 * The Cedar engine (@cedar-policy/cedar-wasm, Node build), loaded on first use: a process that
 * never asks a 2026-04 gate (a 2026-01 run, the CLIs) does not pay for compiling the module.
 *
 * Before it loads, TurboFan's inlining of JS-to-Wasm calls is switched off for this process.
 * cedar-wasm's exports take and return `externref` (wasm-bindgen with reference types). When
 * TurboFan inlines such a call into an optimized caller (the glue's `statefulIsAuthorized`,
 * `policyToJson`, ...) and that caller is deoptimized while the Wasm call runs (a lazy deopt: Cedar
 * calls back into JSON.parse/JSON.stringify, whose new objects can invalidate the caller's map
 * assumptions), V8 11.3 (Node 20) cannot rebuild an `externref` result: its
 * Deoptimizer::TranslatedValueForWasmReturnKind handles only i32/i64/f32/f64 and hits UNREACHABLE()
 * ("Fatal error ... unreachable code" in DoComputeBuiltinContinuation) and the process dies. Later V8
 * added the kRef/kRefNull cases there (v8/src/deoptimizer/deoptimizer.cc). Without the inlining
 * the call goes through the ordinary JS-to-Wasm wrapper, whose deopt is handled. Reproduced and
 * guarded by sim/test/daemon/cedar-lazy-deopt.test.ts.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

export type CedarWasm = typeof import('@cedar-policy/cedar-wasm/nodejs');

/** The V8 flag that keeps TurboFan from inlining JS-to-Wasm calls (read at each optimization). */
export const NO_JS_WASM_INLINING = '--no-turbo-inline-js-wasm-calls';

let loaded: CedarWasm | undefined;
export function cedarWasm(): CedarWasm {
  if (!loaded) {
    setFlagsFromString(NO_JS_WASM_INLINING);
    loaded = createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as CedarWasm;
  }
  return loaded;
}
