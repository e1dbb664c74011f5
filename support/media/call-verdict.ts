/**
 * How a media call is judged (upstream media_server_e2e.rs:322-349 at 1236706e): only `403` (the
 * mesh refusing) fails an allowed call; `000` means nothing answered. Any other HTTP answer means
 * the caller reached the callee, whatever the callee thought of the request: NZBGet's web UI, for
 * one, answers `401` without credentials. The probe meshes keep the stricter rule of
 * `verdictForHttpCode` (support/mesh/checks.ts).
 */
import type { Verdict } from '../mesh/checks.js';

/** `403` or `000` (no answer, or not an HTTP code at all) is blocked; any other HTTP code reached the callee. */
export function mediaCallVerdict(code: string): Verdict {
  return /^[1-5]\d\d$/.test(code) && code !== '403' ? 'ALLOWED' : 'BLOCKED';
}

/** The HTTP code at the end of curl's `-w '%{http_code}'` output; `000` when there is none. */
export function httpCodeOf(curlOutput: string): string {
  return curlOutput.trim().match(/(\d{3})$/)?.[1] ?? '000';
}
