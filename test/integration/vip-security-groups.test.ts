// VIP security groups (Octavia API 2.29 `vip_sg_ids`) enforced by the data plane, with real traffic through
// `sluice serve` on 127.0.0.0/8: only the groups' ingress rules decide who reaches a listener, and a rule
// added later reaches the running data plane without the load balancer leaving ACTIVE. Groups are written
// into serve's own store (the Neutron security-group routes are not what is under test here).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../src/store/database.ts';
import { refreshLoadBalancersUsing } from '../../src/store/repositories/security-group-users.ts';
import { type Api, apiClient, createService } from '../conformance/api-client.ts';
import { type Backend, tcpBackend, tcpTry } from '../conformance/backends.ts';
import { conformanceProviders } from '../conformance/providers.ts';
import { insertSecurityGroup, insertSecurityGroupRule } from '../helpers/security-groups.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'vip-sg-password';
const ADMITTED_PORT = 18470;
const REFUSED_PORT = 18471;
const PROJECT = 'vip-sg-project';

for (const PROVIDER of conformanceProviders()) {
  describe(`VIP security groups in the data plane (${PROVIDER} provider)`, () => {
    let server: ServeProcess;
    let store: Store;
    let api: Api;
    let backend: Backend;
    let vip: string;
    let groupId: string;

    before(async () => {
      backend = await tcpBackend('sg1', '127.0.71.1');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      store = await openStore(`sqlite:${path.join(server.dataDir, 'sluice.db')}`);
      api = await apiClient(server.url, PASSWORD);
      // TCP to the first listener's port from anywhere in 127.0.0.0/8; nothing names the second one.
      groupId = await insertSecurityGroup(store.db, PROJECT, [
        {
          protocol: 'tcp',
          portRangeMin: ADMITTED_PORT,
          portRangeMax: ADMITTED_PORT,
          remoteIpPrefix: '127.0.0.0/8',
        },
        { protocol: 'udp', remoteIpPrefix: '127.0.0.0/8' },
      ]);
      vip = (await api.createLoadBalancer({ provider: PROVIDER, vip_sg_ids: [groupId] })).vip_address;
      for (const port of [ADMITTED_PORT, REFUSED_PORT]) {
        await createService(api, { protocol: 'TCP', protocol_port: port }, {}, [{ backend }]);
      }
    });
    after(async () => {
      await server?.stop();
      await store?.close();
      await backend?.close();
    });

    it("serves a listener whose port a group's ingress rule admits from 127.0.0.0/8", async () => {
      assert.equal(await tcpTry(vip, ADMITTED_PORT, 'hi'), 'sg1:hi');
    });

    it('refuses a listener no tcp rule of the groups admits', async () => {
      assert.equal(await tcpTry(vip, REFUSED_PORT, 'hi', { timeoutMs: 1500 }), null);
    });

    it('serves the second listener once a rule for it is added, and the load balancer stays ACTIVE', async () => {
      await insertSecurityGroupRule(store.db, groupId, PROJECT, {
        protocol: '6',
        portRangeMin: REFUSED_PORT,
        portRangeMax: REFUSED_PORT,
        remoteIpPrefix: '127.0.0.1/32',
      });
      assert.deepEqual(await refreshLoadBalancersUsing(store.db, [groupId]), [api.loadBalancerId]);
      const lb = (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body
        .loadbalancer as {
        provisioning_status: string;
      };
      assert.equal(lb.provisioning_status, 'ACTIVE');
      // Serve notices a revision written by another process within its one-second re-check: bounded wait.
      let reply: string | null = null;
      for (let i = 0; i < 40 && reply === null; i += 1) {
        reply = await tcpTry(vip, REFUSED_PORT, 'again', { timeoutMs: 500 });
        if (reply === null) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(reply, 'sg1:again');
      assert.equal(
        await tcpTry(vip, REFUSED_PORT, 'hi', { localAddress: '127.0.71.200', timeoutMs: 1500 }),
        null,
        'a client outside the new rule’s 127.0.0.1/32 is still refused',
      );
    });
  });
}
