// A small client of a running `sluice serve` for the conformance suite: authenticated JSON calls, and
// "apply and wait": each write returns once the load balancer is ACTIVE again (bounded to 10 s).
import { issueToken } from '../helpers/serve-process.ts';

export type Api = {
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** POST/PUT/DELETE, then wait until the load balancer is ACTIVE; returns the response body. */
  change(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  waitActive(): Promise<void>;
  /** Creates a load balancer on the public subnet, makes it this client's, and waits until it is ACTIVE. */
  createLoadBalancer(extra?: Record<string, unknown>): Promise<{ id: string; vip_address: string }>;
  loadBalancerId: string;
};

/** A member to create: a server's address and port, with extra member fields. */
export type MemberSpec = { backend: { address: string; port: number }; body?: Record<string, unknown> };

/** A listener on the client's load balancer with a default pool holding one member per spec; returns the ids. */
export async function createService(
  api: Api,
  listener: Record<string, unknown>,
  pool: Record<string, unknown>,
  members: MemberSpec[],
): Promise<{ listener: string; pool: string; members: string[] }> {
  const created = (
    await api.change('POST', '/v2/lbaas/listeners', {
      listener: { loadbalancer_id: api.loadBalancerId, ...listener },
    })
  ).listener as { id: string };
  const createdPool = (
    await api.change('POST', '/v2/lbaas/pools', {
      pool: { listener_id: created.id, protocol: listener.protocol, lb_algorithm: 'ROUND_ROBIN', ...pool },
    })
  ).pool as { id: string };
  const memberIds: string[] = [];
  for (const { backend, body } of members) {
    const member = await api.change('POST', `/v2/lbaas/pools/${createdPool.id}/members`, {
      member: { address: backend.address, protocol_port: backend.port, ...body },
    });
    memberIds.push((member.member as { id: string }).id);
  }
  return { listener: created.id, pool: createdPool.id, members: memberIds };
}

export async function apiClient(url: string, password: string): Promise<Api> {
  const token = await issueToken(url, password);
  const api: Api = {
    loadBalancerId: '',
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    },
    async change(method, path, body) {
      const response = await api.call(method, path, body);
      if (response.status >= 300)
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      await api.waitActive();
      return response.body;
    },
    async createLoadBalancer(extra = {}) {
      const subnets = (await api.call('GET', '/v2.0/subnets?name=public-subnet')).body.subnets as {
        id: string;
      }[];
      const lb = (
        await api.call('POST', '/v2/lbaas/loadbalancers', {
          loadbalancer: { vip_subnet_id: subnets[0].id, ...extra },
        })
      ).body.loadbalancer as { id: string; vip_address: string };
      api.loadBalancerId = lb.id;
      await api.waitActive();
      return lb;
    },
    async waitActive() {
      for (let i = 0; i < 400; i += 1) {
        const { body } = await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`);
        const status = (body.loadbalancer as { provisioning_status: string }).provisioning_status;
        if (status === 'ACTIVE') return;
        if (status === 'ERROR') throw new Error(`load balancer went ERROR: ${JSON.stringify(body)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('load balancer did not become ACTIVE within 10 s');
    },
  };
  return api;
}
