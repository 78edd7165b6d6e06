// The agent runner against the real agent API on a loopback port: refresh() gives up the long-poll the server
// holds and asks again at once, with no etag, so the reconciler gets a fresh set without waiting out the hold.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AgentClient } from '../../src/agent/agent-client.ts';
import { AgentRunner } from '../../src/agent/agent-runner.ts';
import { Reconciler } from '../../src/agent/reconciler.ts';
import { VipPlumbing } from '../../src/agent/vip-plumbing.ts';
import type { ApplyResult, Assignment } from '../../src/model/agent-protocol.ts';
import { LONG_POLL_MS } from '../../src/model/agent-protocol.ts';
import { NoopProvider } from '../../src/providers/noop/noop-provider.ts';
import { until } from '../helpers/netns/until.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

const logger = pino({ level: 'silent' });
const registration = {
  host: 'test',
  pid: process.pid,
  epoch: randomUUID(),
  availabilityZone: null,
  providers: ['noop'],
};

/** The real reconciler, counting the sets it is given. */
class CountingReconciler extends Reconciler {
  converged = 0;
  override async converge(
    assignments: readonly Assignment[],
    removals: readonly string[],
  ): Promise<ApplyResult[]> {
    this.converged += 1;
    return super.converge(assignments, removals);
  }
}

describe('agent runner', () => {
  let api: TestApi;
  let runner: AgentRunner | undefined;
  before(async () => {
    api = await startTestApi();
    await api.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await runner?.stop();
    await api.close();
  });

  it('asks for the desired set again at once when refreshed, without waiting out the long-poll held', async () => {
    const created = await api.call('POST', '/agent/v1/agents', api.adminToken, {
      agent: { name: 'refresh' },
    });
    assert.equal(created.statusCode, 201);
    const base = `http://127.0.0.1:${(api.app.server.address() as net.AddressInfo).port}`;
    const reconciler = new CountingReconciler(
      new Map([['noop', new NoopProvider()]]),
      new VipPlumbing(new Map()),
      logger,
    );
    const client = new AgentClient(base, created.json().agent.token);
    runner = new AgentRunner({ client, reconciler, logger, registration });
    await runner.start();
    await until('the first set', 10_000, async () => (reconciler.converged === 1 ? true : undefined));
    // The next poll carries the set's etag: the server holds it for LONG_POLL_MS, since nothing changes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    runner.refresh();
    await until('a set after the refresh', LONG_POLL_MS / 2, async () =>
      reconciler.converged === 2 ? true : undefined,
    );
  });
});
