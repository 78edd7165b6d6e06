// A load balancer in the HA lab, made through the Octavia API: VIP on the lab's subnet, one HTTP listener
// whose pool holds the lab's members; resolves once it is ACTIVE, with its VIP URL.
import type { Lab } from './sluice-lab.ts';

export type LabLoadBalancer = Readonly<{ id: string; vip: string; url: string }>;

export async function createHttpLoadBalancer(
  lab: Lab,
  options: Readonly<{ topology?: 'SINGLE' | 'ACTIVE_STANDBY'; provider?: string; port?: number }> = {},
): Promise<LabLoadBalancer> {
  const { api } = lab;
  const port = options.port ?? 80;
  const lb = await api.createLoadBalancer({
    vip_subnet_id: lab.subnetId,
    ...(options.provider && { provider: options.provider }),
    ...(options.topology && { topology: options.topology }),
  });
  const listener = (
    await api.change('POST', '/v2/lbaas/listeners', {
      listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: port },
    })
  ).listener as { id: string };
  const pool = (
    await api.change('POST', '/v2/lbaas/pools', {
      pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    })
  ).pool as { id: string };
  for (const member of lab.members) {
    await api.change('POST', `/v2/lbaas/pools/${pool.id}/members`, {
      member: { address: member.address, protocol_port: member.port, subnet_id: lab.subnetId },
    });
  }
  return { id: lb.id, vip: lb.vip_address, url: `http://${lb.vip_address}:${port}/` };
}
