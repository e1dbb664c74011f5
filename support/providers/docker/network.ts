/**
 * Pinning the `kind` network CAPD attaches its nodes to: 172.18.0.0/16 with gateway 172.18.0.1, so
 * the Cilium LB addresses Lattice hands out (172.18.255.10 / .20) fall inside it. A network with
 * another subnet is recreated only when nothing is attached; otherwise the run stops, naming the
 * containers in the way.
 */
import type Docker from 'dockerode';
import { SuiteError } from '../../errors.js';

export class NetworkPinError extends SuiteError {}

export interface NetworkPin {
  /** Network name; `kind` in real runs. */
  name: string;
  subnet: string;
  gateway: string;
  /** Labels for a network this call creates (the run id). */
  labels?: Record<string, string>;
}

export const KIND_NETWORK: NetworkPin = { name: 'kind', subnet: '172.18.0.0/16', gateway: '172.18.0.1' };

export type NetworkPinOutcome = 'created' | 'kept' | 'recreated';

interface NetworkInfo {
  Id: string; Name: string;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> };
  Containers?: Record<string, { Name?: string }>;
}

async function inspectByName(docker: Docker, name: string): Promise<NetworkInfo | undefined> {
  // The engine's name filter is a substring match: keep the exact name only.
  const nets = await docker.listNetworks({ filters: { name: [name] } });
  const hit = nets.find((n) => n.Name === name);
  if (!hit) return undefined;
  return (await docker.getNetwork(hit.Id).inspect()) as NetworkInfo;
}

async function create(docker: Docker, pin: NetworkPin): Promise<void> {
  await docker.createNetwork({
    Name: pin.name,
    Driver: 'bridge',
    CheckDuplicate: true,
    IPAM: { Driver: 'default', Config: [{ Subnet: pin.subnet, Gateway: pin.gateway }] },
    Labels: pin.labels ?? {},
  });
}

/** Makes sure network `pin.name` exists with exactly `pin.subnet`/`pin.gateway`; says what it did. */
export async function ensureNetworkPinned(docker: Docker, pin: NetworkPin = KIND_NETWORK): Promise<NetworkPinOutcome> {
  const existing = await inspectByName(docker, pin.name);
  if (!existing) {
    await create(docker, pin);
    return 'created';
  }
  const configs = existing.IPAM?.Config ?? [];
  if (configs.some((c) => c.Subnet === pin.subnet && (c.Gateway === undefined || c.Gateway === '' || c.Gateway === pin.gateway))) return 'kept';
  const have = configs.map((c) => `${c.Subnet ?? '?'} gw ${c.Gateway ?? '?'}`).join(', ') || 'no IPAM config';
  const attached = Object.values(existing.Containers ?? {}).map((c) => c.Name ?? '?').sort();
  if (attached.length > 0) {
    throw new NetworkPinError(
      `Docker network ${pin.name} has ${have} instead of ${pin.subnet} gw ${pin.gateway} and is in use by ${attached.join(', ')}`,
      `remove those containers (or the network) and run again`,
    );
  }
  await docker.getNetwork(existing.Id).remove();
  await create(docker, pin);
  return 'recreated';
}
