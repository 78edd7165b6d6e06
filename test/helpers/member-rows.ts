// Store rows for tests of member-sized work: a load balancer with pools, and many members in them, written
// straight through the repositories (no API, no provider).
import type { NewMember } from '../../src/model/member.ts';
import type { Db } from '../../src/store/database.ts';
import { insertLoadBalancer } from '../../src/store/repositories/load-balancer-repository.ts';
import { insertMembers } from '../../src/store/repositories/member-repository.ts';
import { ensurePlacements } from '../../src/store/repositories/placement-repository.ts';
import { insertPool } from '../../src/store/repositories/pool-repository.ts';

/** Member `i` of `poolId`: id `<poolId>-m<i>`, its own loopback address and port, tag `t<i>`. */
export const memberRow = (loadBalancerId: string, poolId: string, i: number): NewMember => ({
  id: `${poolId}-m${i}`,
  projectId: 'project-a',
  loadBalancerId,
  poolId,
  name: null,
  adminStateUp: true,
  provisioningStatus: 'PENDING_CREATE',
  operatingStatus: 'NO_MONITOR',
  address: `127.65.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  protocolPort: 10_000 + (i % 50_000),
  subnetId: null,
  weight: 1,
  backup: false,
  monitorAddress: null,
  monitorPort: null,
  tags: [`t${i}`],
});

/** An ACTIVE load balancer `id` (noop provider unless told) with nothing under it. */
export async function insertBareLoadBalancer(db: Db, id: string, provider = 'noop'): Promise<void> {
  await insertLoadBalancer(db, {
    id,
    projectId: 'project-a',
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    provider,
    flavorId: null,
    availabilityZone: null,
    topology: 'SINGLE',
    vip: {
      address: '127.65.255.1',
      portId: 'port',
      subnetId: 'subnet',
      networkId: 'net',
      qosPolicyId: null,
      additional: [],
    },
    tags: [],
  });
}

/** An ACTIVE HTTP pool `poolId` of the load balancer with `count` members (memberRow 0 … count-1). */
export async function insertPoolWithMembers(
  db: Db,
  loadBalancerId: string,
  poolId: string,
  count: number,
): Promise<void> {
  await insertPool(db, {
    id: poolId,
    projectId: 'project-a',
    loadBalancerId,
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    protocol: 'HTTP',
    lbAlgorithm: 'ROUND_ROBIN',
    sessionPersistence: null,
    tlsEnabled: false,
    tlsContainerRef: null,
    caTlsContainerRef: null,
    crlContainerRef: null,
    tlsCiphers: null,
    tlsVersions: null,
    alpnProtocols: null,
    tags: [],
  });
  await insertMembers(
    db,
    Array.from({ length: count }, (_, i) => memberRow(loadBalancerId, poolId, i)),
  );
}

/** The load balancer's placements (SINGLE: one STANDALONE), the one of `role` bound to `agentId`. */
export async function placeOnAgent(
  db: Db,
  lbId: string,
  agentId: string,
  role = 'STANDALONE',
): Promise<void> {
  await ensurePlacements(db, lbId, role === 'STANDALONE' ? 'SINGLE' : 'ACTIVE_STANDBY');
  await db
    .updateTable('amphorae')
    .set({ agent_id: agentId })
    .where('load_balancer_id', '=', lbId)
    .where('role', '=', role)
    .execute();
}
