import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LOGS = (id: string) => `/sluice/v1/loadbalancers/${id}/logs`;
const UNKNOWN = '6a1f3c2b-0d4e-4f5a-8b9c-1d2e3f4a5b6c';
let api: TestApi;
let owner: { token: string; projectId: string };

async function loadBalancer(token: string): Promise<string> {
  const body = { loadbalancer: { vip_subnet_id: api.publicSubnetId } };
  const id = (await api.call('POST', '/v2/lbaas/loadbalancers', token, body)).json().loadbalancer.id;
  await api.provisioner.idle();
  return id;
}

/** Lines as an agent's report stores them (the store's side is tested in access-log-repository.test.ts). */
async function stored(lbId: string, lines: readonly [string, string][]): Promise<void> {
  await api.store.db
    .insertInto('access_logs')
    .values(
      lines.map(([listener, text]) => ({
        load_balancer_id: lbId,
        listener_id: listener,
        line: text,
        created_at: '2026-12-06T00:00:00.000Z',
      })),
    )
    .execute();
}

describe('access logs API', () => {
  before(async () => {
    api = await startTestApi();
    owner = await api.userWithRoles(['load-balancer_member']);
  });
  after(async () => api.close());

  it('answers the lines oldest first after the marker, for one listener if asked, with the dropped count', async () => {
    const lbId = await loadBalancer(owner.token);
    const empty = await api.call('GET', LOGS(lbId), owner.token);
    assert.equal(empty.statusCode, 200, empty.body);
    assert.deepEqual(empty.json(), { logs: [], dropped: 0 });
    await stored(lbId, [
      ['l1', 'one'],
      ['l2', 'two'],
      ['l1', 'three'],
    ]);
    await api.store.db
      .insertInto('access_log_drops')
      .values({ load_balancer_id: lbId, dropped: 5 })
      .execute();
    const all = (await api.call('GET', LOGS(lbId), owner.token)).json();
    assert.deepEqual(
      all.logs.map((l: { listener_id: string; line: string }) => [l.listener_id, l.line]),
      [
        ['l1', 'one'],
        ['l2', 'two'],
        ['l1', 'three'],
      ],
    );
    assert.deepEqual(Object.keys(all.logs[0]), ['id', 'listener_id', 'line']);
    assert.equal(all.dropped, 5);
    const page = (
      await api.call('GET', `${LOGS(lbId)}?marker=${all.logs[0].id}&limit=1`, owner.token)
    ).json();
    assert.deepEqual(
      page.logs.map((l: { line: string }) => l.line),
      ['two'],
    );
    const l1 = (await api.call('GET', `${LOGS(lbId)}?listener_id=l1`, owner.token)).json();
    assert.deepEqual(
      l1.logs.map((l: { line: string }) => l.line),
      ['one', 'three'],
    );
  });

  it('with follow=true waits for lines after the marker, then answers them', async () => {
    const lbId = await loadBalancer(owner.token);
    const waiting = api.call('GET', `${LOGS(lbId)}?follow=true`, owner.token);
    let answered = false;
    void waiting.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(answered, false, 'no lines yet: the request waits');
    await stored(lbId, [['l1', 'late']]);
    const response = await waiting;
    assert.deepEqual(
      response.json().logs.map((l: { line: string }) => l.line),
      ['late'],
    );
  });

  it("is a 404 with Octavia's not-found text for a missing or another project's load balancer", async () => {
    assertFault(
      await api.call('GET', LOGS(UNKNOWN), owner.token),
      404,
      `Load Balancer ${UNKNOWN} not found.`,
    );
    const other = await api.userWithRoles(['load-balancer_member']);
    const lbId = await loadBalancer(other.token);
    assertFault(await api.call('GET', LOGS(lbId), owner.token), 404, `Load Balancer ${lbId} not found.`);
    assert.equal((await api.call('GET', LOGS(lbId), api.adminToken)).statusCode, 200);
  });

  it('refuses a bad limit, marker, follow or an unknown query key with a 400 and changes nothing', async () => {
    const lbId = await loadBalancer(owner.token);
    const fault = async (query: string) => await api.call('GET', `${LOGS(lbId)}?${query}`, owner.token);
    assertFault(await fault('limit=0'), 400, "Supplied pagination limit '0' is not valid.");
    assertFault(await fault('marker=x'), 400, "Supplied pagination marker 'x' is not valid.");
    assertFault(await fault('follow=maybe'), 400, 'maybe is not a valid option for follow');
    assert.equal((await fault('colour=red')).statusCode, 400);
  });
});
