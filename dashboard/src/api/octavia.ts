// The Octavia v2 objects the dashboard shows, and the calls on them, under this origin's /v2/lbaas.
// https://docs.openstack.org/api-ref/load-balancer/v2/
import { json } from './api-client.ts';

export type Status = { provisioning_status: string; operating_status: string };
export type LoadBalancer = Status & {
  id: string;
  name: string;
  vip_address: string;
  provider: string;
  admin_state_up: boolean;
  project_id: string;
};
export type Member = Status & {
  id: string;
  name: string;
  address: string;
  protocol_port: number;
  weight: number;
  admin_state_up: boolean;
};
export type TreeMember = Status & { id: string; name: string; address: string; protocol_port: number };
export type TreeMonitor = Status & { id: string; name: string; type: string };
export type TreePool = Status & {
  id: string;
  name: string;
  members: TreeMember[];
  health_monitor?: TreeMonitor;
};
export type TreeListener = Status & { id: string; name: string; pools: TreePool[] };
export type StatusTree = Status & { id: string; name: string; listeners: TreeListener[] };

export const LBAAS = '/v2/lbaas';

export const octavia = {
  get: <T>(token: string, path: string) => json<T>(`${LBAAS}${path}`, { token }),
  send: <T>(token: string, method: string, path: string, body?: unknown) =>
    json<T>(`${LBAAS}${path}`, { token, method, body }),
};

export async function listLoadBalancers(token: string): Promise<LoadBalancer[]> {
  return (await octavia.get<{ loadbalancers: LoadBalancer[] }>(token, '/loadbalancers')).loadbalancers;
}

export async function statusTree(token: string, id: string): Promise<StatusTree> {
  const body = await octavia.get<{ statuses: { loadbalancer: StatusTree } }>(
    token,
    `/loadbalancers/${id}/status`,
  );
  return body.statuses.loadbalancer;
}

/** Deletes the load balancer and everything under it (`cascade`). */
export async function deleteLoadBalancer(token: string, id: string): Promise<void> {
  await octavia.send(token, 'DELETE', `/loadbalancers/${id}?cascade=true`);
}
