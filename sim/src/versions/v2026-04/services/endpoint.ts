/**
 * ParsedEndpoint::parse of b5d50e90 (crd/external_endpoint.rs:48-175): `udp://h:p`, `tcp://h:p`,
 * `https://h[:p][/…]` (443), `http://h[:p][/…]` (80), `grpc://h:p`, else `h:p` as tcp; userinfo is
 * dropped, port 0 or an empty host is no endpoint. The protocol is the lowercase scheme.
 */
export interface Endpoint { protocol: string; host: string; port: number }

function hostPortOf(s: string): string {
  const withoutAuth = s.split('@').pop() ?? s;
  return withoutAuth.split('/')[0];
}

function parseHostPort(s: string, protocol: string): Endpoint | undefined {
  const hp = hostPortOf(s);
  let host: string;
  let portText: string;
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end < 0) return undefined;
    host = hp.slice(1, end);
    const rest = hp.slice(end + 1);
    if (!rest.startsWith(':')) return undefined;
    portText = rest.slice(1);
  } else {
    const i = hp.lastIndexOf(':');
    if (i < 0) return undefined;
    host = hp.slice(0, i);
    portText = hp.slice(i + 1);
  }
  if (!/^\d+$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port === 0 || port > 65535 || host === '') return undefined;
  return { protocol, host, port };
}

export function parseEndpoint(url: string): Endpoint | undefined {
  for (const scheme of ['udp', 'tcp', 'grpc']) {
    if (url.startsWith(`${scheme}://`)) return parseHostPort(url.slice(scheme.length + 3), scheme);
  }
  for (const [scheme, defaultPort] of [['https', 443], ['http', 80]] as const) {
    if (!url.startsWith(`${scheme}://`)) continue;
    const rest = url.slice(scheme.length + 3);
    const hp = hostPortOf(rest);
    const explicit = hp.startsWith('[') ? hp.slice(hp.indexOf(']')).includes(':') : hp.includes(':');
    if (explicit) return parseHostPort(rest, scheme);
    const host = hp.startsWith('[') ? hp.slice(1, hp.indexOf(']')) : hp.split(':')[0];
    return host ? { protocol: scheme, host, port: defaultPort } : undefined;
  }
  return parseHostPort(url, 'tcp');
}
