/**
 * A loopback stand-in for the Docker engine's network API, as dockerode calls it over tcp://:
 * ping, version, list (name filter, a substring match as the engine's), inspect, create, remove.
 * Networks carry their IPAM config and attached containers; every call is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FakeNetwork { Id: string; Name: string; IPAM: { Config: Array<{ Subnet: string; Gateway?: string }> }; Containers: Record<string, { Name: string }>; Labels: Record<string, string> }

export class FakeDockerEngine {
  readonly networks = new Map<string, FakeNetwork>();
  readonly calls: string[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private n = 0;
  host = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.host = `tcp://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Adds a network as someone else (or an earlier run) left it. */
  add(name: string, subnet: string, gateway: string, attached: string[] = []): FakeNetwork {
    const net: FakeNetwork = { Id: `net${++this.n}`, Name: name, IPAM: { Config: [{ Subnet: subnet, Gateway: gateway }] }, Containers: Object.fromEntries(attached.map((c, i) => [`c${i}`, { Name: c }])), Labels: {} };
    this.networks.set(net.Id, net);
    return net;
  }

  byName(name: string): FakeNetwork | undefined {
    return [...this.networks.values()].find((n) => n.Name === name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v[\d.]+/, '');
    this.calls.push(`${req.method} ${path}`);
    const json = (status: number, obj: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
    if (path === '/_ping') { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('OK'); return; }
    if (path === '/version') return json(200, { ApiVersion: '1.47', Version: 'fake' });
    if (req.method === 'GET' && path === '/networks') {
      const names = (JSON.parse(url.searchParams.get('filters') ?? '{}') as { name?: string[] }).name;
      return json(200, [...this.networks.values()].filter((n) => !names || names.some((x) => n.Name.includes(x))));
    }
    if (req.method === 'POST' && path === '/networks/create') {
      const spec = JSON.parse(body) as { Name: string; IPAM: { Config: Array<{ Subnet: string; Gateway: string }> }; Labels?: Record<string, string> };
      if (this.byName(spec.Name)) return json(409, { message: `network with name ${spec.Name} already exists` });
      const net = this.add(spec.Name, spec.IPAM.Config[0]!.Subnet, spec.IPAM.Config[0]!.Gateway);
      net.Labels = spec.Labels ?? {};
      return json(201, { Id: net.Id, Warning: '' });
    }
    const one = /^\/networks\/([^/]+)$/.exec(path);
    const net = one ? this.networks.get(one[1]!) ?? this.byName(one[1]!) : undefined;
    if (one && !net) return json(404, { message: `network ${one[1]} not found` });
    if (net && req.method === 'GET') return json(200, net);
    if (net && req.method === 'DELETE') {
      if (Object.keys(net.Containers).length) return json(403, { message: `error while removing network: network ${net.Name} has active endpoints` });
      this.networks.delete(net.Id);
      res.writeHead(204); res.end(); return;
    }
    json(404, { message: `no fake for ${req.method} ${path}` });
  }
}
