/**
 * Just enough of Kubernetes' protobuf encoding to accept what kubectl's typed generators send
 * (`kubectl create namespace|secret|configmap|serviceaccount`): the `k8s\0` envelope
 * (runtime.Unknown) and the fields of those four kinds. Anything else is refused with 415.
 */
import { HttpError } from './status.js';

type Fields = Map<number, Array<Buffer | bigint>>;

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7n;
  }
}

function parseMessage(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let value: Buffer | bigint;
    if (wire === 0) { [value, pos] = readVarint(buf, pos); }
    else if (wire === 2) { const [len, p2] = readVarint(buf, pos); value = buf.subarray(p2, p2 + Number(len)); pos = p2 + Number(len); }
    else if (wire === 1) { value = buf.subarray(pos, pos + 8); pos += 8; }
    else if (wire === 5) { value = buf.subarray(pos, pos + 4); pos += 4; }
    else throw new Error(`unsupported wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const str = (f: Fields, n: number) => { const v = f.get(n)?.[0]; return Buffer.isBuffer(v) ? v.toString('utf8') : undefined; };
const strs = (f: Fields, n: number) => (f.get(n) ?? []).filter(Buffer.isBuffer).map((b) => b.toString('utf8'));
const bool = (f: Fields, n: number) => { const v = f.get(n)?.[0]; return typeof v === 'bigint' ? v !== 0n : undefined; };
function map(f: Fields, n: number, bytes = false): Record<string, string> | undefined {
  const entries = (f.get(n) ?? []).filter(Buffer.isBuffer);
  if (!entries.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = parseMessage(e);
    const v = kv.get(2)?.[0];
    out[str(kv, 1) ?? ''] = Buffer.isBuffer(v) ? (bytes ? v.toString('base64') : v.toString('utf8')) : '';
  }
  return out;
}
const prune = (o: Record<string, unknown>) => { for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]; return o; };

function objectMeta(buf: Buffer | undefined): Record<string, unknown> {
  if (!buf) return {};
  const f = parseMessage(buf);
  const finalizers = strs(f, 14);
  return prune({
    name: str(f, 1), generateName: str(f, 2), namespace: str(f, 3),
    labels: map(f, 11), annotations: map(f, 12), finalizers: finalizers.length ? finalizers : undefined,
  });
}

const KINDS: Record<string, (f: Fields) => Record<string, unknown>> = {
  Namespace: (f) => {
    const spec = f.get(2)?.[0];
    const finalizers = Buffer.isBuffer(spec) ? strs(parseMessage(spec), 1) : [];
    return prune({ spec: finalizers.length ? { finalizers } : undefined });
  },
  Secret: (f) => prune({ data: map(f, 2, true), type: str(f, 3), stringData: map(f, 4), immutable: bool(f, 5) }),
  ConfigMap: (f) => prune({ data: map(f, 2), binaryData: map(f, 3, true), immutable: bool(f, 4) }),
  ServiceAccount: (f) => prune({ automountServiceAccountToken: bool(f, 4) }),
};

/** authentication.k8s.io/v1 kinds kubectl sends as protobuf (`kubectl create token`). */
const AUTH_KINDS: Record<string, (f: Fields) => Record<string, unknown>> = {
  // TokenRequestSpec: audiences = 1, boundObjectRef = 3, expirationSeconds = 4 (int64).
  TokenRequest: (f) => {
    const spec = f.get(2)?.[0];
    if (!Buffer.isBuffer(spec)) return {};
    const sf = parseMessage(spec);
    const exp = sf.get(4)?.[0];
    const audiences = strs(sf, 1);
    return { spec: prune({ audiences: audiences.length ? audiences : undefined, expirationSeconds: typeof exp === 'bigint' ? Number(exp) : undefined }) };
  },
};

export function decodeK8sProtobuf(body: Buffer): Record<string, unknown> {
  const unsupported = (what: string) => new HttpError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - protobuf is accepted only for Namespace, Secret, ConfigMap, ServiceAccount and TokenRequest (${what}); send application/json`);
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw unsupported('no k8s protobuf envelope');
  try {
    const unknown = parseMessage(body.subarray(4));
    const typeMeta = unknown.get(1)?.[0];
    const tm = Buffer.isBuffer(typeMeta) ? parseMessage(typeMeta) : new Map();
    const apiVersion = str(tm, 1) ?? '';
    const kind = str(tm, 2) ?? '';
    const raw = unknown.get(2)?.[0];
    const decode = apiVersion === 'v1' ? KINDS[kind] : apiVersion === 'authentication.k8s.io/v1' ? AUTH_KINDS[kind] : undefined;
    if (!decode || !Buffer.isBuffer(raw)) throw unsupported(`${apiVersion} ${kind}`);
    const obj = parseMessage(raw);
    const meta = obj.get(1)?.[0];
    return { apiVersion, kind, metadata: objectMeta(Buffer.isBuffer(meta) ? meta : undefined), ...decode(obj) };
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, 'BadRequest', `the body of the request could not be decoded as protobuf: ${(e as Error).message}`);
  }
}
