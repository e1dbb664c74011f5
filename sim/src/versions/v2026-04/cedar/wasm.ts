/**
 * The Cedar engine (@cedar-policy/cedar-wasm, Node build), loaded on first use: a process that
 * never asks a 2026-04 gate (a 2026-01 run, the CLIs) does not pay for compiling the module.
 */
import { createRequire } from 'node:module';

export type CedarWasm = typeof import('@cedar-policy/cedar-wasm/nodejs');

let loaded: CedarWasm | undefined;
export function cedarWasm(): CedarWasm {
  loaded ??= createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as CedarWasm;
  return loaded;
}
