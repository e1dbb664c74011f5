/**
 * `host:port` of an external endpoint URL, as Lattice names its Cedar resource
 * `Lattice::ExternalEndpoint::"<host>:<port>"` (crd/external_endpoint.rs:63-105: https ⇒ 443,
 * http ⇒ 80 unless a port is given; tcp://, grpc://, udp:// and bare `host:port` need one).
 */
import { SuiteError } from '../../../errors.js';

const DEFAULT_PORT: Record<string, number> = { https: 443, http: 80 };

export function endpointId(url: string): string {
  const m = /^(?:(https?|tcp|grpc|udp):\/\/)?([^/:?#@]+)(?::(\d+))?(?:[/?#].*)?$/.exec(url);
  const scheme = m?.[1] ?? 'tcp';
  const port = m?.[3] !== undefined ? Number(m[3]) : DEFAULT_PORT[scheme];
  if (!m || port === undefined) throw new SuiteError(`external endpoint ${JSON.stringify(url)} has no port Lattice can tell`, 'use https://host, http://host or scheme://host:port');
  return `${m[2]}:${port}`;
}
