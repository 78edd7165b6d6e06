// The data plane outlives the control plane (issue #11, part 5): kill -9 of `sluice serve`, or of its agent
// alone, during 10 s of bounded load through a native and a haproxy load balancer drops no request. The
// restarted serve (or agent) adopts the same data-plane processes, converges with nothing left PENDING, and a
// change made afterwards takes effect. Real processes, real sockets, 127.0.54.x backends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haproxyAvailable } from '../../src/providers/haproxy/haproxy-available.ts';
import { type Api, apiClient } from '../conformance/api-client.ts';
import { type Backend, get, httpBackend } from '../conformance/backends.ts';
import { dataPlanePids } from '../helpers/data-plane-processes.ts';
import { type ServeProcess, startServe, tempDataDir } from '../helpers/serve-process.ts';

const PASSWORD = 'control-plane-death-password';
const ENV = { SLUICE_ADMIN_PASSWORD: PASSWORD };
const PROVIDERS = haproxyAvailable() ? ['native', 'haproxy'] : ['native'];
const LOAD_MS = 10_000;
const MAX_REQUESTS = 40_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/** Two clients, each sending GETs on fresh connections round the URLs, for LOAD_MS or MAX_REQUESTS. */
async function load(urls: readonly string[]): Promise<{ answered: number; failures: string[] }> {
  const end = Date.now() + LOAD_MS;
  let sent = 0;
  let answered = 0;
  const failures: string[] = [];
  const client = async () => {
    while (Date.now() < end && sent < MAX_REQUESTS) {
      const url = urls[sent % urls.length];
      sent += 1;
      const outcome = await get(url).then(
        (r) => (r.status === 200 ? undefined : `${url}: ${r.status}`),
        (error: Error) => `${url}: ${error.message}`,
      );
      if (outcome === undefined) answered += 1;
      else failures.push(outcome);
    }
  };
  await Promise.all([client(), client()]);
  return { answered, failures };
}

/** An HTTP listener on `port` with a pool of one member, the backend. */
async function addHttpListener(api: Api, backend: Backend, loadBalancerId: string, port: number) {
  api.loadBalancerId = loadBalancerId;
  const listener = (
    await api.change('POST', '/v2/lbaas/listeners', {
      listener: { loadbalancer_id: loadBalancerId, protocol: 'HTTP', protocol_port: port },
    })
  ).listener as { id: string };
  const pool = (
    await api.change('POST', '/v2/lbaas/pools', {
      pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    })
  ).pool as { id: string };
  await api.change('POST', `/v2/lbaas/pools/${pool.id}/members`, {
    member: { address: backend.address, protocol_port: backend.port },
  });
}

async function httpLoadBalancer(api: Api, backend: Backend, port: number, provider: string) {
  const lb = await api.createLoadBalancer({ provider });
  await addHttpListener(api, backend, lb.id, port);
  return { id: lb.id, vip: lb.vip_address, url: `http://${lb.vip_address}:${port}/` };
}

/** Every object of every load balancer whose provisioning status is not ACTIVE. */
async function unsettled(api: Api): Promise<string[]> {
  const list = async (path: string, key: string) =>
    ((await api.call('GET', path)).body[key] as { id: string; provisioning_status: string }[]) ?? [];
  const pools = await list('/v2/lbaas/pools', 'pools');
  const objects = [
    ...(await list('/v2/lbaas/loadbalancers', 'loadbalancers')),
    ...(await list('/v2/lbaas/listeners', 'listeners')),
    ...pools,
    ...(await Promise.all(pools.map((p) => list(`/v2/lbaas/pools/${p.id}/members`, 'members')))).flat(),
  ];
  return objects
    .filter((o) => o.provisioning_status !== 'ACTIVE')
    .map((o) => `${o.id} ${o.provisioning_status}`);
}

const localAgent = async (api: Api) =>
  ((await api.call('GET', '/agent/v1/agents')).body.agents as { pid: number }[])[0];

describe('the data plane outlives the control plane', () => {
  const dataDir = tempDataDir();
  let server: ServeProcess;
  let backend: Backend;
  let api: Api;
  let port: number;
  const lbs: { id: string; vip: string; url: string; provider: string }[] = [];
  let nextPort = 18321;

  before(async () => {
    backend = await httpBackend('web', '127.0.54.1');
    server = await startServe({ dataDir, env: ENV });
    port = Number(new URL(server.url).port);
    api = await apiClient(server.url, PASSWORD);
    for (const provider of PROVIDERS) {
      lbs.push({ ...(await httpLoadBalancer(api, backend, nextPort++, provider)), provider });
    }
    for (const lb of lbs)
      await until(`first answer from ${lb.url}`, 15_000, async () =>
        (await get(lb.url)).status === 200 ? true : undefined,
      );
  });

  after(async () => {
    await server.stop('SIGKILL');
    await backend.close();
  });

  /** After the kill: a listener added now answers on every load balancer (the adopted data plane takes changes). */
  async function changeTakesEffect(): Promise<void> {
    for (const lb of lbs) {
      const listenerPort = nextPort++;
      await addHttpListener(api, backend, lb.id, listenerPort);
      const url = `http://${lb.vip}:${listenerPort}/`;
      assert.equal((await get(url)).status, 200, `${lb.provider}: the listener added after the kill answers`);
    }
  }

  it(`kill -9 of sluice serve during 10 s of load fails no request on ${PROVIDERS.join(' and ')}; the restarted serve adopts the data plane and converges`, async () => {
    const before = dataPlanePids(dataDir);
    const running = load(lbs.map((lb) => lb.url));
    await sleep(2000);
    await server.crash();
    await sleep(1000);
    server = await startServe({ dataDir, port, env: ENV });
    const { answered, failures } = await running;
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${answered + failures.length} failed`);
    assert.ok(answered > 100, `only ${answered} answers`);

    assert.equal(before.native.length, 1, 'one native worker process serves');
    assert.equal(before.haproxy.length, PROVIDERS.length - 1);
    api = await apiClient(server.url, PASSWORD);
    await until('nothing PENDING', 20_000, async () =>
      (await unsettled(api)).length === 0 ? true : undefined,
    );
    const now = dataPlanePids(dataDir);
    assert.deepEqual(now.native, before.native, 'the same native worker serves (adopted)');
    assert.deepEqual(now.haproxy, before.haproxy, 'the same HAProxy masters serve (adopted)');
    assert.ok(now.agent !== undefined && now.agent !== before.agent, 'a new agent runs');
    await until('the new agent UP', 10_000, async () =>
      (await localAgent(api)).pid === now.agent ? true : undefined,
    );
    await changeTakesEffect();
    assert.deepEqual(await unsettled(api), []);
  });

  it('kill -9 of the agent alone during 10 s of load fails no request; the restarted agent adopts the data plane', async () => {
    const before = dataPlanePids(dataDir);
    assert.ok(before.agent);
    // The epoch names the data-plane instance (the server adds an earlier instance's counters as a base when
    // it changes): an adopted data plane keeps it, so its counters are not counted twice.
    const epochFile = path.join(dataDir, 'agent', 'epoch');
    const epoch = fs.readFileSync(epochFile, 'utf8');
    const running = load(lbs.map((lb) => lb.url));
    await sleep(2000);
    process.kill(before.agent, 'SIGKILL');
    const { answered, failures } = await running;
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${answered + failures.length} failed`);
    assert.ok(answered > 100, `only ${answered} answers`);
    const now = await until('a restarted agent', 10_000, async () => {
      const pids = dataPlanePids(dataDir);
      return pids.agent !== undefined && pids.agent !== before.agent ? pids : undefined;
    });
    assert.deepEqual(now.native, before.native, 'the same native worker serves (adopted)');
    assert.deepEqual(now.haproxy.sort(), before.haproxy.sort(), 'the same HAProxy masters serve (adopted)');
    await until('the restarted agent UP', 10_000, async () =>
      (await localAgent(api)).pid === now.agent ? true : undefined,
    );
    assert.equal(fs.readFileSync(epochFile, 'utf8'), epoch, 'the adopted data plane keeps its epoch');
    await changeTakesEffect();
    assert.deepEqual(await unsettled(api), []);
  });

  it('a clean stop of serve stops its data plane', async () => {
    const before = dataPlanePids(dataDir);
    await server.stop('SIGTERM');
    const left = dataPlanePids(dataDir);
    assert.equal(
      fs.existsSync(path.join(dataDir, 'agent', 'epoch')),
      false,
      'the next data plane gets a new epoch',
    );
    assert.deepEqual(
      left,
      { agent: undefined, native: [], haproxy: [] },
      `left running: ${JSON.stringify(before)}`,
    );
  });
});
