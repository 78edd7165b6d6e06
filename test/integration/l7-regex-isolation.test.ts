// One tenant's L7 regex cannot stall the other load balancers of an agent: the real `sluice serve` with its
// local agent (native data plane in the agent process), two load balancers, and worst-case regex paths sent
// to the first while the second's latency and the agent's status are watched. Also the API's 501 for a regex
// the native data plane cannot run in linear time, with nothing written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Api, apiClient, createService } from '../conformance/api-client.ts';
import { type Backend, get, httpBackend } from '../conformance/backends.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'regex-isolation-password';
const EVIL = '^/(a+)+$';
/** The 33-byte path (43 s with a backtracking engine), and longer ones (with the 4 kB header, near the 15 kB head limit). */
const EVIL_PATHS = [31, 1000, 10_000].map((n) => `/${'a'.repeat(n)}!`);
const HAMMER_MS = 6000; // longer than the heartbeat timeout (5 s): a stalled agent would be DOWN by then
const HAMMER_MAX_REQUESTS = 3000;
const HAMMER_CLIENTS = 2;

type Agent = { status: string };

/** A native load balancer with one HTTP listener whose default pool holds `backend`. */
async function httpLoadBalancer(api: Api, backend: Backend, port: number) {
  const lb = await api.createLoadBalancer({ provider: 'native' });
  const { listener } = await createService(api, { protocol: 'HTTP', protocol_port: port }, {}, [{ backend }]);
  return { id: lb.id, listenerId: listener, url: (path = '/') => `http://${lb.vip_address}:${port}${path}` };
}

async function rejectPolicy(api: Api, listenerId: string, position: number): Promise<string> {
  const created = await api.change('POST', '/v2/lbaas/l7policies', {
    l7policy: { listener_id: listenerId, action: 'REJECT', position },
  });
  return (created.l7policy as { id: string }).id;
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const answer = await get(url);
  assert.equal(answer.status, 200, `GET ${url.slice(0, 80)}: ${answer.status}`);
  return performance.now() - started;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

describe('L7 regex isolation on one agent (native provider)', () => {
  let server: ServeProcess;
  let tenant1: Api;
  let tenant2: Api;
  let web: Backend[];
  let lb1: Awaited<ReturnType<typeof httpLoadBalancer>>;
  let lb2: Awaited<ReturnType<typeof httpLoadBalancer>>;
  const policyIds: string[] = [];

  before(async () => {
    web = await Promise.all(['web1', 'web2'].map((n, i) => httpBackend(n, `127.0.37.${i + 1}`)));
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' } });
    tenant1 = await apiClient(server.url, PASSWORD);
    tenant2 = await apiClient(server.url, PASSWORD);
    lb1 = await httpLoadBalancer(tenant1, web[0], 18400);
    lb2 = await httpLoadBalancer(tenant2, web[1], 18401);
    // Several worst-case rules on the path and on a header, all evaluated for every request (none matches
    // the evil paths, so each request runs every rule and then reaches the member).
    for (const [position, rule] of [
      { type: 'PATH', compare_type: 'REGEX', value: EVIL },
      { type: 'PATH', compare_type: 'REGEX', value: '^/(a|aa)+$' },
      { type: 'HEADER', key: 'X-Evil', compare_type: 'REGEX', value: '^(a*)*b$' },
      // the costliest kind the linear engine runs: every position live at every character (33 of the 64)
      { type: 'PATH', compare_type: 'REGEX', value: '(.*a){16}b' },
    ].entries()) {
      policyIds.push(await rejectPolicy(tenant1, lb1.listenerId, position + 1));
      await tenant1.change('POST', `/v2/lbaas/l7policies/${policyIds[position]}/rules`, { rule });
    }
  });
  after(async () => {
    await server?.stop();
    await Promise.all((web ?? []).map((b) => b.close()));
  });

  it('keeps a second load balancer answering at its usual latency and the agent UP while the first gets worst-case regex paths', async (t) => {
    const baseline: number[] = [];
    for (let i = 0; i < 30; i += 1) baseline.push(await timedGet(lb2.url()));
    const bound = Math.max(10 * percentile(baseline, 99), 200);

    let hammered = 0;
    const deadline = performance.now() + HAMMER_MS;
    const running = () => performance.now() < deadline && hammered < HAMMER_MAX_REQUESTS;
    const hammer = async () => {
      while (running()) {
        const path = EVIL_PATHS[hammered++ % EVIL_PATHS.length];
        const answer = await get(lb1.url(path), { 'x-evil': `${'a'.repeat(4000)}!` });
        assert.equal(answer.status, 200, 'the evil path matches no rule and reaches the member');
      }
    };
    const during: number[] = [];
    const watch = async () => {
      while (running()) {
        during.push(await timedGet(lb2.url()));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const statuses: string[] = [];
    const heartbeat = async () => {
      while (running()) {
        const agents = (await tenant1.call('GET', '/agent/v1/agents')).body.agents as Agent[];
        statuses.push(...agents.map((a) => a.status));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    await Promise.all([...Array.from({ length: HAMMER_CLIENTS }, hammer), watch(), heartbeat()]);

    const p99 = percentile(during, 99);
    t.diagnostic(
      `${hammered} worst-case requests; second load balancer p99 ${p99.toFixed(1)} ms over ${during.length} requests (baseline p99 ${percentile(baseline, 99).toFixed(1)} ms)`,
    );
    assert.ok(hammered >= 2 * EVIL_PATHS.length, `only ${hammered} worst-case requests were answered`);
    assert.ok(during.length >= 20, `only ${during.length} requests reached the second load balancer`);
    assert.ok(p99 < bound, `second load balancer p99 ${p99.toFixed(1)} ms ≥ ${bound.toFixed(1)} ms`);
    assert.ok(statuses.length > 0 && statuses.every((s) => s === 'UP'), `agent statuses: ${statuses}`);
    for (const [api, lb] of [
      [tenant1, lb1],
      [tenant2, lb2],
    ] as const) {
      const { body } = await api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`);
      const { provisioning_status, operating_status } = body.loadbalancer as Record<string, string>;
      assert.equal(provisioning_status, 'ACTIVE');
      assert.notEqual(operating_status, 'ERROR');
    }
  });

  it('answers 501 to a regex the native data plane cannot run in linear time, and writes nothing', async () => {
    const rulesPath = `/v2/lbaas/l7policies/${policyIds[0]}/rules`;
    const rules = async () => (await tenant1.call('GET', rulesPath)).body.rules as unknown[];
    const before = await rules();
    const response = await tenant1.call('POST', rulesPath, {
      rule: { type: 'PATH', compare_type: 'REGEX', value: '^/(a+)\\1$' },
    });
    assert.equal(response.status, 501);
    assert.equal(
      response.body.faultstring,
      "Provider 'native' does not support a requested option: L7 rule regex '^/(a+)\\1$' (backreferences)",
    );
    assert.deepEqual(await rules(), before);
    await tenant1.waitActive();
  });
});
