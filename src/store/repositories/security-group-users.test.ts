// Load balancers with VIP security groups against a real store, on every dialect: what their listeners admit
// (the desired state), and the re-render a group change triggers without touching Octavia's status.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { insertSecurityGroup, insertSecurityGroupRule } from '../../../test/helpers/security-groups.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { ProvisioningStatus } from '../../model/statuses.ts';
import type { Store } from '../database.ts';
import { loadDesiredState } from './desired-state-repository.ts';
import { insertListener } from './listener-repository.ts';
import { getLoadBalancerRow, insertLoadBalancer } from './load-balancer-repository.ts';
import { allocatePort, createNetwork, createSubnet } from './network-repository.ts';
import { addressesOfGroupPorts, refreshLoadBalancersUsing } from './security-group-users.ts';

const P = 'project-a';
let seq = 0;

async function lb(
  store: Store,
  sgIds: string[],
  status: ProvisioningStatus = 'ACTIVE',
  listeners: { protocol: string; port: number; allowedCidrs?: string[] }[] = [],
): Promise<string> {
  const id = `lb-${++seq}`;
  await insertLoadBalancer(store.db, {
    id,
    projectId: P,
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: status,
    operatingStatus: 'ONLINE',
    provider: 'noop',
    flavorId: null,
    availabilityZone: null,
    topology: 'SINGLE',
    vip: {
      address: '127.0.0.2',
      portId: `port-${id}`,
      subnetId: 's',
      networkId: 'n',
      qosPolicyId: null,
      additional: [],
      sgIds,
    },
    tags: [],
  });
  for (const l of listeners) {
    await insertListener(store.db, {
      id: `${id}-${l.protocol}-${l.port}`,
      projectId: P,
      loadBalancerId: id,
      provisioningStatus: 'ACTIVE',
      name: null,
      description: null,
      adminStateUp: true,
      protocol: l.protocol,
      protocolPort: l.port,
      connectionLimit: -1,
      defaultPoolId: null,
      defaultTlsContainerRef: null,
      sniContainerRefs: [],
      insertHeaders: null,
      timeoutClientData: 50000,
      timeoutMemberConnect: 5000,
      timeoutMemberData: 50000,
      timeoutTcpInspect: 0,
      clientCaTlsContainerRef: null,
      clientAuthentication: 'NONE',
      clientCrlContainerRef: null,
      allowedCidrs: l.allowedCidrs ?? [],
      tlsCiphers: null,
      tlsVersions: null,
      alpnProtocols: null,
      hstsMaxAge: null,
      hstsIncludeSubdomains: false,
      hstsPreload: false,
      tags: [],
    });
  }
  return id;
}

/** [port, admitted sources] per listener, by port (listeners created in one millisecond come in id order). */
const admitted = async (store: Store, id: string) =>
  (await loadDesiredState(store.db, id))!.listeners
    .map((l) => [l.protocolPort, l.allowedCidrs] as const)
    .sort((x, y) => x[0] - y[0]);

for (const dialect of storeDialects()) {
  describe(`load balancers using security groups (${dialect.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(() => store.close());

    describe('desired state', () => {
      it('admits every source without VIP groups, or only the allowed_cidrs when set', async () => {
        const id = await lb(store, [], 'ACTIVE', [
          { protocol: 'TCP', port: 80 },
          { protocol: 'TCP', port: 81, allowedCidrs: ['127.0.9.0/24'] },
        ]);
        assert.deepEqual(await admitted(store, id), [
          [80, null],
          [81, ['127.0.9.0/24']],
        ]);
      });

      it("admits per listener what the groups' matching ingress rules name, and nobody without one", async () => {
        const web = await insertSecurityGroup(store.db, P, [
          { protocol: 'tcp', portRangeMin: 80, portRangeMax: 80, remoteIpPrefix: '127.0.1.0/24' },
          { protocol: 'udp', remoteIpPrefix: '127.0.2.0/24' },
          { direction: 'egress' },
        ]);
        const dns = await insertSecurityGroup(store.db, P, [
          { protocol: '17', portRangeMin: 53, portRangeMax: 53 },
        ]);
        const id = await lb(store, [web, dns], 'ACTIVE', [
          { protocol: 'HTTP', port: 80 },
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 443 },
        ]);
        assert.deepEqual(await admitted(store, id), [
          [53, ['127.0.2.0/24', '0.0.0.0/0']],
          [80, ['127.0.1.0/24']],
          [443, []],
        ]);
      });

      it("admits the fixed IPs of the ports carrying a rule's remote group", async () => {
        const network = await createNetwork(store.db, { projectId: P, name: 'n' });
        await createSubnet(store.db, {
          networkId: network.id,
          projectId: P,
          ipVersion: 4,
          cidr: '10.9.0.0/29',
        });
        const peers = await insertSecurityGroup(store.db, P);
        const vipGroup = await insertSecurityGroup(store.db, P, [{ remoteGroupId: peers }]);
        const port = await allocatePort(store.db, {
          networkId: network.id,
          projectId: P,
          securityGroups: [peers],
        });
        await allocatePort(store.db, { networkId: network.id, projectId: P }); // not in the group
        assert.deepEqual(await addressesOfGroupPorts(store.db, [peers]), new Map([[peers, ['10.9.0.2']]]));
        assert.equal(port.fixedIps[0].ipAddress, '10.9.0.2');
        const id = await lb(store, [vipGroup], 'ACTIVE', [{ protocol: 'TCP', port: 22 }]);
        assert.deepEqual(await admitted(store, id), [[22, ['10.9.0.2']]]);
      });
    });

    describe('refreshLoadBalancersUsing', () => {
      it('bumps the revision of the load balancers using a group, leaving status and updated_at alone', async () => {
        const group = await insertSecurityGroup(store.db, P);
        const other = await insertSecurityGroup(store.db, P);
        const using = await lb(store, [other, group]);
        const pending = await lb(store, [group], 'PENDING_UPDATE');
        const unrelated = await lb(store, [other]);
        const without = await lb(store, []);
        const before = await Promise.all(
          [using, pending, unrelated, without].map((id) => getLoadBalancerRow(store.db, id)),
        );
        assert.deepEqual(
          (await refreshLoadBalancersUsing(store.db, [group])).sort(),
          [pending, using].sort(),
        );
        const afterwards = await Promise.all(
          [using, pending, unrelated, without].map((id) => getLoadBalancerRow(store.db, id)),
        );
        assert.deepEqual(
          afterwards.map((row, i) => row!.revision - before[i]!.revision),
          [1, 1, 0, 0],
        );
        assert.deepEqual(
          afterwards.map((row) => [row!.provisioningStatus, row!.updatedAt]),
          before.map((row) => [row!.provisioningStatus, row!.updatedAt]),
        );
      });

      it('also re-renders load balancers whose groups name a changed group as remote group', async () => {
        const peers = await insertSecurityGroup(store.db, P);
        const vipGroup = await insertSecurityGroup(store.db, P);
        await insertSecurityGroupRule(store.db, vipGroup, P, { remoteGroupId: peers });
        const id = await lb(store, [vipGroup]);
        assert.deepEqual(await refreshLoadBalancersUsing(store.db, [peers]), [id]);
      });

      it('leaves deleted and deleting load balancers, and answers [] for no groups', async () => {
        const group = await insertSecurityGroup(store.db, P);
        await lb(store, [group], 'DELETED');
        await lb(store, [group], 'PENDING_DELETE');
        assert.deepEqual(await refreshLoadBalancersUsing(store.db, [group]), []);
        assert.deepEqual(await refreshLoadBalancersUsing(store.db, []), []);
      });
    });
  });
}
