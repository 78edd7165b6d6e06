// VIP security groups (Octavia API 2.29 `vip_sg_ids`) enforced by the data plane, with real traffic through
// `sluice serve` on 127.0.0.0/8: only the groups' ingress rules decide who reaches a listener, and a rule
// added or deleted through Neutron's security-group-rules API reaches the running data plane without the load
// balancer leaving ACTIVE.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, apiClient, createService } from '../conformance/api-client.ts';
import { type Backend, tcpBackend, tcpTry } from '../conformance/backends.ts';
import { conformanceProviders } from '../conformance/providers.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'vip-sg-password';
const ADMITTED_PORT = 18470;
const REFUSED_PORT = 18471;

/** Polls `tcpTry` until it answers `want` (a bounded wait: 40 tries, at most ~30 s). */
async function eventually(
  attempt: () => Promise<string | null>,
  want: string | null,
): Promise<string | null> {
  let reply = await attempt();
  for (let i = 0; i < 40 && reply !== want; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    reply = await attempt();
  }
  return reply;
}

for (const PROVIDER of conformanceProviders()) {
  describe(`VIP security groups in the data plane (${PROVIDER} provider)`, () => {
    let server: ServeProcess;
    let api: Api;
    let backend: Backend;
    let vip: string;
    let groupId: string;

    before(async () => {
      backend = await tcpBackend('sg1', '127.0.71.1');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      // TCP to the first listener's port from anywhere in 127.0.0.0/8; nothing names the second one.
      const group = await api.call('POST', '/v2.0/security-groups', { security_group: { name: 'web' } });
      groupId = (group.body.security_group as { id: string }).id;
      await addRule({ protocol: 'tcp', port_range_min: ADMITTED_PORT, port_range_max: ADMITTED_PORT });
      await addRule({ protocol: 'udp' });
      vip = (await api.createLoadBalancer({ provider: PROVIDER, vip_sg_ids: [groupId] })).vip_address;
      for (const port of [ADMITTED_PORT, REFUSED_PORT]) {
        await createService(api, { protocol: 'TCP', protocol_port: port }, {}, [{ backend }]);
      }
    });
    after(async () => {
      await server?.stop();
      await backend?.close();
    });

    async function addRule(rule: Record<string, unknown>): Promise<string> {
      const body = {
        direction: 'ingress',
        remote_ip_prefix: '127.0.0.0/8',
        ...rule,
        security_group_id: groupId,
      };
      const created = await api.call('POST', '/v2.0/security-group-rules', { security_group_rule: body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return (created.body.security_group_rule as { id: string }).id;
    }

    it("serves a listener whose port a group's ingress rule admits from 127.0.0.0/8", async () => {
      assert.equal(await tcpTry(vip, ADMITTED_PORT, 'hi'), 'sg1:hi');
    });

    it('refuses a listener no tcp rule of the groups admits', async () => {
      assert.equal(await tcpTry(vip, REFUSED_PORT, 'hi', { timeoutMs: 1500 }), null);
    });

    it('serves the second listener once a rule for it is added, refuses it again once the rule is deleted, and the load balancer stays ACTIVE', async () => {
      const ruleId = await addRule({
        protocol: '6',
        port_range_min: REFUSED_PORT,
        port_range_max: REFUSED_PORT,
        remote_ip_prefix: '127.0.0.1/32',
      });
      const lb = (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body
        .loadbalancer as { provisioning_status: string };
      assert.equal(lb.provisioning_status, 'ACTIVE');
      const again = () => tcpTry(vip, REFUSED_PORT, 'again', { timeoutMs: 500 });
      assert.equal(await eventually(again, 'sg1:again'), 'sg1:again');
      assert.equal(
        await tcpTry(vip, REFUSED_PORT, 'hi', { localAddress: '127.0.71.200', timeoutMs: 1500 }),
        null,
        'a client outside the new rule’s 127.0.0.1/32 is still refused',
      );
      const deleted = await api.call('DELETE', `/v2.0/security-group-rules/${ruleId}`);
      assert.equal(deleted.status, 204);
      assert.equal(await eventually(again, null), null);
    });
  });
}
