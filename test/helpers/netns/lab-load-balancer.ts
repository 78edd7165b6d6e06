// A load balancer in the HA lab, made through the Octavia API: VIP on the lab's subnet, one HTTP listener
// whose pool holds the lab's members; resolves once it is ACTIVE, with its VIP URL.
import { createService } from '../../conformance/api-client.ts';
import type { Lab } from './sluice-lab.ts';

export type LabLoadBalancer = Readonly<{ id: string; vip: string; url: string }>;

export async function createHttpLoadBalancer(
  lab: Lab,
  /** `extra`: more load-balancer fields (provider, flavor_id, …) */
  options: Readonly<{ port?: number; extra?: Record<string, unknown> }> = {},
): Promise<LabLoadBalancer> {
  const { api } = lab;
  const port = options.port ?? 80;
  const lb = await api.createLoadBalancer({ vip_subnet_id: lab.subnetId, ...options.extra });
  await createService(
    api,
    { protocol: 'HTTP', protocol_port: port },
    {},
    lab.members.map((m) => ({ backend: m, body: { subnet_id: lab.subnetId } })),
  );
  return { id: lb.id, vip: lb.vip_address, url: `http://${lb.vip_address}:${port}/` };
}
