// An agent whose path to the controller is cut without a reset: a real TCP relay on 127.0.0.2 in front of the
// real API (in this process) that, once cut, accepts and holds connections and never answers, as a link that
// drops packets does. Every agent request is bounded, so once the path is back the agent reports again and
// long-polls again; and a long-poll stuck alone neither stops the heartbeats nor the agent for good.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AgentClient } from '../../src/agent/agent-client.ts';
import { AgentRunner } from '../../src/agent/agent-runner.ts';
import { Reconciler } from '../../src/agent/reconciler.ts';
import { VipPlumbing } from '../../src/agent/vip-plumbing.ts';
import { NativeProvider, nativeProviderInfo } from '../../src/providers/native/native-provider.ts';
import { until } from '../helpers/netns/until.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The agent's long-poll hold and margin here (production: 25 s + 5 s), so a stuck poll is given up in 2 s. */
const LONG_POLL_MS = 1000;
const LONG_POLL_MARGIN_MS = 1000;

type Cut = 'none' | 'all' | 'long-poll';
type Link = { url: string; cut(mode: Cut): void; close(): void };

/**
 * A relay to the API whose path can be cut: `all` holds every open and new connection (nothing forwarded
 * either way, nothing closed); `long-poll` holds a connection from the moment it carries a desired-set poll.
 * A held connection stays held, as a TCP connection across a cut link stays dead.
 */
async function startLink(apiPort: number): Promise<Link> {
  let mode: Cut = 'none';
  const live = new Set<{ held: boolean; sockets: net.Socket[] }>();
  const server = net.createServer((inbound) => {
    const upstream = net.connect(apiPort, '127.0.0.1');
    const connection = { held: mode === 'all', sockets: [inbound, upstream] };
    live.add(connection);
    const close = () => {
      live.delete(connection);
      inbound.destroy();
      upstream.destroy();
    };
    for (const socket of connection.sockets) socket.on('error', close).on('close', close);
    inbound.on('data', (chunk: Buffer) => {
      if (mode === 'long-poll' && chunk.toString('latin1').startsWith('GET /agent/v1/desired'))
        connection.held = true;
      if (!connection.held) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!connection.held) inbound.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return {
    url: `http://127.0.0.2:${(server.address() as net.AddressInfo).port}`,
    cut(next) {
      mode = next;
      if (next === 'all') for (const connection of live) connection.held = true;
    },
    close() {
      server.close();
      for (const connection of live) for (const socket of connection.sockets) socket.destroy();
    },
  };
}

let api: TestApi;
let link: Link;
let runner: AgentRunner;
let agentId: string;

const heartbeatAt = async () => {
  const agents = (await api.call('GET', '/agent/v1/agents', api.adminToken)).json().agents as {
    id: string;
    heartbeat_at: string | null;
  }[];
  return Date.parse(agents.find((a) => a.id === agentId)?.heartbeat_at ?? '') || 0;
};
/** Resolves once the server received a heartbeat sent after `since`, or fails after `ms`. */
const reportedAfter = (since: number, ms: number) =>
  until('a heartbeat reaches the server', ms, async () => ((await heartbeatAt()) > since ? true : undefined));
/** Creates a native load balancer and resolves once the agent applied it (ACTIVE), or fails after `ms`. */
async function appliedWithin(ms: number): Promise<void> {
  const lb = (
    await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
    })
  ).json().loadbalancer as { id: string };
  await until(`load balancer ${lb.id} ACTIVE`, ms, async () => {
    const status = (await api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`, api.adminToken)).json();
    return status.loadbalancer.provisioning_status === 'ACTIVE' ? true : undefined;
  });
}

describe('an agent whose link to the server is cut without a reset', () => {
  before(async () => {
    api = await startTestApi({ agentProviders: [nativeProviderInfo] });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    link = await startLink((api.app.server.address() as net.AddressInfo).port);
    const created = await api.call('POST', '/agent/v1/agents', api.adminToken, { agent: { name: 'cut' } });
    assert.equal(created.statusCode, 201);
    const { id, token } = created.json().agent as { id: string; token: string };
    agentId = id;
    runner = new AgentRunner({
      client: new AgentClient(link.url, token, { longPollMarginMs: LONG_POLL_MARGIN_MS }),
      reconciler: new Reconciler(
        new Map([['native', new NativeProvider()]]),
        new VipPlumbing(new Map()),
        logger,
      ),
      logger,
      longPollMs: LONG_POLL_MS,
      registration: {
        host: 'cut',
        pid: process.pid,
        epoch: randomUUID(),
        availabilityZone: null,
        providers: ['native'],
      },
    });
    await runner.start();
    await appliedWithin(10_000);
  });
  after(async () => {
    link.close();
    await runner.stop();
    await api.close();
  });

  it('reports again and applies changes again once the link is back', async () => {
    link.cut('all');
    // Heartbeats (every 500 ms) and the long-poll in flight now hang on connections that never answer.
    await sleep(1500);
    link.cut('none');
    const restored = Date.now();
    // A stuck report is given up after 4 heartbeat intervals (2 s), then the next one goes through.
    await reportedAfter(restored, 5000);
    // A stuck long-poll is given up after its hold time plus margin (2 s here), then a new one sees the change.
    await appliedWithin(8000);
  });

  it('keeps reporting while its long-poll is stuck, and polls again once the stuck poll is given up', async () => {
    link.cut('long-poll');
    // Let the poll in flight answer (within its 1 s hold) and the next one get stuck.
    await sleep(LONG_POLL_MS + 500);
    for (let i = 0; i < 3; i++) {
      const since = Date.now();
      await reportedAfter(since, 3000);
    }
    link.cut('none');
    await appliedWithin(8000);
  });
});
