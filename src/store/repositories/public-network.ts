// The first-start network `public` (architecture §3): shared, external, provider type local, with subnet
// `public-subnet` 127.77.0.0/16 — every 127/8 address is local on Linux, so each VIP gets its own address
// and port 80 with no privileges.
import { createHash } from 'node:crypto';
import { defaultAllocationPools, defaultGateway, parseCidr } from '../../model/ipam.ts';
import { DEFAULT_MTU, type Network, NetworkType } from '../../model/network.ts';
import { now, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import { readNetworks } from './network-rows.ts';

export const PUBLIC_NETWORK = {
  name: 'public',
  subnetName: 'public-subnet',
  cidr: '127.77.0.0/16',
} as const;

/** Fixed ids, so two processes bootstrapping the same store at once create one network, not two. */
const stableId = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
export const PUBLIC_NETWORK_ID = stableId('sluice:network:public');
export const PUBLIC_SUBNET_ID = stableId('sluice:subnet:public-subnet');

/**
 * Creates, once, the shared external network `public` with subnet 127.77.0.0/16 (gateway 127.77.0.1, pool
 * .0.2–.255.254): every 127/8 address is local on Linux, so each VIP gets its own address with no
 * privileges. A network named `public` that is already external (the bootstrap's, or an operator's) is kept.
 */
export async function ensurePublicNetwork(db: Db, adminProjectId: string): Promise<Network> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('networks')
      .select('id')
      .where('name', '=', PUBLIC_NETWORK.name)
      .where('router_external', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    if (existing) return (await readNetworks(trx, [existing.id]))[0];
    const cidr = parseCidr(PUBLIC_NETWORK.cidr)!;
    const gateway = defaultGateway(cidr);
    const at = now();
    await trx
      .insertInto('networks')
      .values({
        id: PUBLIC_NETWORK_ID,
        name: PUBLIC_NETWORK.name,
        project_id: adminProjectId,
        admin_state_up: 1,
        status: 'ACTIVE',
        shared: 1,
        router_external: 1,
        network_type: NetworkType.LOCAL,
        physical_network: null,
        segmentation_id: null,
        mtu: DEFAULT_MTU,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await trx
      .insertInto('subnets')
      .values({
        id: PUBLIC_SUBNET_ID,
        name: PUBLIC_NETWORK.subnetName,
        network_id: PUBLIC_NETWORK_ID,
        project_id: adminProjectId,
        ip_version: 4,
        cidr: PUBLIC_NETWORK.cidr,
        gateway_ip: gateway,
        allocation_pools: toJson(defaultAllocationPools(cidr, gateway)),
        enable_dhcp: 0,
        dns_nameservers: '[]',
        host_routes: '[]',
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await readNetworks(trx, [PUBLIC_NETWORK_ID]))[0];
  });
}
