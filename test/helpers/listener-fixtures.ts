// Fixtures for the listener and L7 tests: a settled load balancer, a pool row to point listeners and L7
// policies at (without going through the pool API), and the fault of a response.
import { randomUUID } from 'node:crypto';
import type { TestApi } from './test-api.ts';

export type LoadBalancerWire = { id: string; project_id: string; vip_address: string };
type Response = { statusCode: number; json(): { faultstring: string } };

/** The status code and faultstring of an Octavia fault response. */
export const fault = (r: Response) => ({ status: r.statusCode, faultstring: r.json().faultstring });

/** Creates a load balancer on public-subnet and waits until it is ACTIVE. */
export async function newLoadBalancer(api: TestApi, token = api.adminToken): Promise<LoadBalancerWire> {
  const response = await api.call('POST', '/v2/lbaas/loadbalancers', token, {
    loadbalancer: { vip_subnet_id: api.publicSubnetId },
  });
  if (response.statusCode !== 201) throw new Error(`load balancer create: ${response.body}`);
  await api.provisioner.idle();
  return response.json().loadbalancer;
}

/** Inserts an ACTIVE pool row of `protocol` on the load balancer and returns its id. */
export async function insertPool(api: TestApi, lb: LoadBalancerWire, protocol: string): Promise<string> {
  const id = randomUUID();
  await api.store.db
    .insertInto('pools')
    .values({
      id,
      project_id: lb.project_id,
      load_balancer_id: lb.id,
      name: null,
      admin_state_up: 1,
      provisioning_status: 'ACTIVE',
      operating_status: 'ONLINE',
      tags: '[]',
      created_at: new Date().toISOString(),
      updated_at: null,
      protocol,
      lb_algorithm: 'ROUND_ROBIN',
      tls_enabled: 0,
    })
    .execute();
  return id;
}

/** Creates a child object through the API, checks the 201 and waits until the change is applied. */
export async function created(
  api: TestApi,
  url: string,
  envelope: string,
  fields: Record<string, unknown>,
  token = api.adminToken,
) {
  const response = await api.call('POST', url, token, { [envelope]: fields });
  if (response.statusCode !== 201) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  await api.provisioner.idle();
  return response.json()[envelope];
}
