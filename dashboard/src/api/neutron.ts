// Neutron v2.0 reads the dashboard needs: the subnets a VIP can be placed on.
// https://docs.openstack.org/api-ref/network/v2/#list-subnets
import { json } from './api-client.ts';

export type Subnet = { id: string; name: string; cidr: string; network_id: string };

export async function listSubnets(token: string): Promise<Subnet[]> {
  return (await json<{ subnets: Subnet[] }>('/v2.0/subnets', { token })).subnets;
}
