// Data-plane conformance: drives `sluice serve` through the Octavia API with real backends on 127.0.x.y
// and checks each behaviour by traffic, for every provider with a data plane this host runs
// (test/conformance/providers.ts; SLUICE_CONFORMANCE_PROVIDER names one instead). Every such provider must pass.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { type Api, apiClient } from './api-client.ts';
import { type Backend, get, httpBackend, tcpBackend, tcpRoundTrip } from './backends.ts';
import { conformanceProviders } from './providers.ts';

const PASSWORD = 'conformance-password';
const HTTP_PORT = 18080;
const TCP_PORT = 18081;

let server: ServeProcess;
let api: Api;
let vip: string;
let web: Backend[];
let tcp: Backend[];
let ids: { http: string; pool: string; members: string[] };

const url = (path = '/') => `http://${vip}:${HTTP_PORT}${path}`;
const names = async (n: number, path = '/') => {
  const seen: string[] = [];
  for (let i = 0; i < n; i += 1) seen.push((await get(url(path))).json().name);
  return seen;
};
const tally = (list: string[]) => {
  const counts: Record<string, number> = {};
  for (const name of list) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};

for (const PROVIDER of conformanceProviders()) {
  describe(`data-plane conformance (${PROVIDER} provider)`, () => {
    before(async () => {
      web = await Promise.all(['web1', 'web2', 'web3'].map((n, i) => httpBackend(n, `127.0.31.${i + 1}`)));
      tcp = await Promise.all(['tcp1', 'tcp2'].map((n, i) => tcpBackend(n, `127.0.32.${i + 1}`)));
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      const lb = await api.createLoadBalancer({ provider: PROVIDER });
      vip = lb.vip_address;
      const listener = (
        await api.change('POST', '/v2/lbaas/listeners', {
          listener: {
            loadbalancer_id: lb.id,
            protocol: 'HTTP',
            protocol_port: HTTP_PORT,
            insert_headers: { 'X-Forwarded-For': 'true' },
          },
        })
      ).listener as { id: string };
      const pool = (
        await api.change('POST', '/v2/lbaas/pools', {
          pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
        })
      ).pool as { id: string };
      const members: string[] = [];
      for (const backend of web) {
        const member = await api.change('POST', `/v2/lbaas/pools/${pool.id}/members`, {
          member: { address: backend.address, protocol_port: backend.port },
        });
        members.push((member.member as { id: string }).id);
      }
      ids = { http: listener.id, pool: pool.id, members };
    });
    after(async () => {
      await server?.stop();
      await Promise.all([...(web ?? []), ...(tcp ?? [])].map((b) => b.close()));
    });

    it('spreads HTTP requests evenly over three members with ROUND_ROBIN', async () => {
      assert.deepEqual(tally(await names(30)), { web1: 10, web2: 10, web3: 10 });
    });

    it('follows the weights', async () => {
      await api.change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${ids.members[0]}`, {
        member: { weight: 3 },
      });
      const counts = tally(await names(50));
      assert.deepEqual(counts, { web1: 30, web2: 10, web3: 10 });
      await api.change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${ids.members[0]}`, {
        member: { weight: 1 },
      });
    });

    it('inserts X-Forwarded-For with the client address', async () => {
      const seen = (await get(url())).json();
      assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    });

    it('never sends to a member whose admin_state_up is false, and answers 503 when none is left', async () => {
      await api.change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${ids.members[2]}`, {
        member: { admin_state_up: false },
      });
      assert.ok(!(await names(10)).includes('web3'));
      for (const member of ids.members.slice(0, 2)) {
        await api.change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${member}`, {
          member: { admin_state_up: false },
        });
      }
      assert.equal((await get(url())).status, 503);
      for (const member of ids.members) {
        await api.change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${member}`, {
          member: { admin_state_up: true },
        });
      }
    });

    it('routes by path with an L7 policy to another pool, and redirects', async () => {
      const other = (
        await api.change('POST', '/v2/lbaas/pools', {
          pool: { loadbalancer_id: api.loadBalancerId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
        })
      ).pool as { id: string };
      await api.change('POST', `/v2/lbaas/pools/${other.id}/members`, {
        member: { address: web[2].address, protocol_port: web[2].port },
      });
      const toPool = (
        await api.change('POST', '/v2/lbaas/l7policies', {
          l7policy: { listener_id: ids.http, action: 'REDIRECT_TO_POOL', redirect_pool_id: other.id },
        })
      ).l7policy as { id: string };
      await api.change('POST', `/v2/lbaas/l7policies/${toPool.id}/rules`, {
        rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' },
      });
      assert.deepEqual(tally(await names(6, '/api/x')), { web3: 6 });
      const redirect = (
        await api.change('POST', '/v2/lbaas/l7policies', {
          l7policy: {
            listener_id: ids.http,
            action: 'REDIRECT_PREFIX',
            redirect_prefix: 'https://example.test',
            redirect_http_code: 301,
          },
        })
      ).l7policy as { id: string };
      await api.change('POST', `/v2/lbaas/l7policies/${redirect.id}/rules`, {
        rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: '/old' },
      });
      const moved = await get(url('/old'));
      assert.equal(moved.status, 301);
      assert.equal(moved.headers.get('location'), 'https://example.test/old');
      await api.change('DELETE', `/v2/lbaas/l7policies/${redirect.id}`);
      await api.change('DELETE', `/v2/lbaas/l7policies/${toPool.id}`);
    });

    it('ejects a member whose health check fails and takes it back when it recovers', async () => {
      const monitor = (
        await api.change('POST', '/v2/lbaas/healthmonitors', {
          healthmonitor: {
            pool_id: ids.pool,
            type: 'HTTP',
            delay: 1,
            timeout: 1,
            max_retries: 1,
            max_retries_down: 1,
            url_path: '/',
          },
        })
      ).healthmonitor as { id: string };
      const stopped = web[1];
      await stopped.close();
      // delay × fall + a margin for two loaded cores, then no request may reach it.
      await new Promise((r) => setTimeout(r, 3000));
      const statuses = await get(url());
      assert.equal(statuses.status, 200);
      assert.ok(!(await names(10)).includes('web2'));
      const tree = (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}/status`)).body;
      const members = (
        tree.statuses as {
          loadbalancer: { listeners: { pools: { members: { operating_status: string }[] }[] }[] };
        }
      ).loadbalancer.listeners[0].pools[0].members;
      assert.deepEqual(members.map((m) => m.operating_status).sort(), ['ERROR', 'ONLINE', 'ONLINE']);
      web[1] = await httpBackend('web2', stopped.address);
      await api
        .change('PUT', `/v2/lbaas/pools/${ids.pool}/members/${ids.members[1]}`, { member: { name: 'back' } })
        .catch(() => {});
      await api.change('DELETE', `/v2/lbaas/healthmonitors/${monitor.id}`);
    });

    it('carries TCP and counts it in the listener stats', async () => {
      const listener = (
        await api.change('POST', '/v2/lbaas/listeners', {
          listener: { loadbalancer_id: api.loadBalancerId, protocol: 'TCP', protocol_port: TCP_PORT },
        })
      ).listener as { id: string };
      const pool = (
        await api.change('POST', '/v2/lbaas/pools', {
          pool: { listener_id: listener.id, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' },
        })
      ).pool as { id: string };
      for (const backend of tcp) {
        await api.change('POST', `/v2/lbaas/pools/${pool.id}/members`, {
          member: { address: backend.address, protocol_port: backend.port },
        });
      }
      const replies = [];
      for (let i = 0; i < 4; i += 1) replies.push(await tcpRoundTrip(vip, TCP_PORT, 'ping'));
      assert.deepEqual(replies.map((r) => r.split(':')[0]).sort(), ['tcp1', 'tcp1', 'tcp2', 'tcp2']);
      // Counters travel data plane → agent heartbeat → aggregator pass: poll, bounded to 5 s.
      let total = -1;
      for (let i = 0; i < 50 && total !== 4; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        const stats = (await api.call('GET', `/v2/lbaas/listeners/${listener.id}/stats`)).body.stats as {
          total_connections: number;
        };
        total = stats.total_connections;
      }
      assert.equal(total, 4);
    });

    it('drops no request during 20 configuration changes under load', async () => {
      let failures = 0;
      let sent = 0;
      let changing = true;
      // Four clients in a loop (bounded: 5000 requests in all) for as long as the changes go on.
      const client = async () => {
        while (changing && sent < 5000) {
          sent += 1;
          const response = await get(url()).catch(() => ({ status: 0 }));
          if (response.status !== 200) failures += 1;
        }
      };
      const load = Promise.all([client(), client(), client(), client()]);
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 20; i += 1) {
        await api.change('PUT', `/v2/lbaas/listeners/${ids.http}`, {
          listener: { description: `change ${i}` },
        });
      }
      changing = false;
      await load;
      assert.ok(sent >= 20, `the load ran beside the changes (${sent} requests)`);
      assert.equal(failures, 0);
    });
  });
}
