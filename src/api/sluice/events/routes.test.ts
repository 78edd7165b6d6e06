import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const EVENTS = (id: string) => `/sluice/v1/loadbalancers/${id}/events`;
const UNKNOWN = '6a1f3c2b-0d4e-4f5a-8b9c-1d2e3f4a5b6c';
let api: TestApi;
let owner: { token: string; projectId: string };

type WireEvent = {
  id: number;
  resource_type: string;
  resource_id: string;
  from: string;
  to: string;
  reason: string;
};

/** An ACTIVE load balancer of `token`'s project (its amphora placed) with a listener, applied by the noop provider. */
async function loadBalancerWithListener(token: string): Promise<{ lbId: string; listenerId: string }> {
  const body = { loadbalancer: { vip_subnet_id: api.publicSubnetId } };
  const lbId = (await api.call('POST', LB, token, body)).json().loadbalancer.id;
  await api.provisioner.idle();
  const listener = { listener: { loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 80 } };
  const created = await api.call('POST', '/v2/lbaas/listeners', token, listener);
  assert.equal(created.statusCode, 201, created.body);
  await api.provisioner.idle();
  return { lbId, listenerId: created.json().listener.id };
}

const summary = (e: WireEvent) => `${e.resource_type} ${e.from}→${e.to}: ${e.reason}`;

describe('status events API', () => {
  before(async () => {
    api = await startTestApi();
    owner = await api.userWithRoles(['load-balancer_member']);
  });
  after(async () => api.close());

  it('lists every status change of a load balancer and its listener with its reason, newest first', async () => {
    const { lbId, listenerId } = await loadBalancerWithListener(owner.token);
    const response = await api.call('GET', EVENTS(lbId), owner.token);
    assert.equal(response.statusCode, 200, response.body);
    const { events, events_links } = response.json();
    assert.equal(events_links, undefined);
    assert.deepEqual(Object.keys(events[0]), [
      'id',
      'created_at',
      'resource_type',
      'resource_id',
      'field',
      'from',
      'to',
      'reason',
    ]);
    assert.deepEqual(events.map(summary), [
      'loadbalancer PENDING_UPDATE→ACTIVE: applied by provider noop',
      'listener PENDING_CREATE→ACTIVE: applied by provider noop',
      'listener null→PENDING_CREATE: created through the API',
      'loadbalancer ACTIVE→PENDING_UPDATE: update through the API',
      'loadbalancer PENDING_CREATE→ACTIVE: applied by provider noop',
      'amphora null→ALLOCATED: placed by the controller',
      'loadbalancer null→PENDING_CREATE: created through the API',
    ]);
    assert.equal(events[1].resource_id, listenerId);
    assert.ok(events.every((e: WireEvent, i: number) => i === 0 || e.id < events[i - 1].id));
    assert.match(events[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const listenerOnly = await api.call('GET', `${EVENTS(lbId)}?resource_type=listener`, owner.token);
    assert.deepEqual(
      listenerOnly.json().events.map((e: WireEvent) => e.resource_id),
      [listenerId, listenerId],
    );
    const byId = await api.call('GET', `${EVENTS(lbId)}?resource_id=${lbId}`, owner.token);
    assert.equal(byId.json().events.length, 4);
  });

  it('pages with limit and marker, linking the next page while one is full', async () => {
    const { lbId } = await loadBalancerWithListener(owner.token);
    const all = (await api.call('GET', EVENTS(lbId), owner.token)).json().events as WireEvent[];
    const seen: number[] = [];
    let url: string | undefined = `${EVENTS(lbId)}?limit=4`;
    for (let pages = 0; url && pages < 5; pages++) {
      const page: { events: WireEvent[]; events_links?: { href: string }[] } = (
        await api.call('GET', url, owner.token)
      ).json();
      seen.push(...page.events.map((e: WireEvent) => e.id));
      url = page.events_links?.[0]?.href.replace(/^https?:\/\/[^/]+/, '');
      if (url) assert.match(url, /\?limit=4&marker=\d+$/);
    }
    assert.deepEqual(
      seen,
      all.map((e) => e.id),
    );
    const older = await api.call('GET', `${EVENTS(lbId)}?marker=${all[1].id}`, owner.token);
    assert.deepEqual(
      older.json().events.map((e: WireEvent) => e.id),
      all.slice(2).map((e) => e.id),
    );
  });

  it('answers 404 with Octavia text to another project, and for an unknown load balancer', async () => {
    const { lbId } = await loadBalancerWithListener(owner.token);
    const stranger = await api.userWithRoles(['load-balancer_member']);
    assertFault(await api.call('GET', EVENTS(lbId), stranger.token), 404, `Load Balancer ${lbId} not found.`);
    assertFault(
      await api.call('GET', EVENTS(UNKNOWN), owner.token),
      404,
      `Load Balancer ${UNKNOWN} not found.`,
    );
    assert.equal((await api.call('GET', EVENTS(lbId), api.adminToken)).statusCode, 200);
    assert.equal((await api.call('GET', EVENTS(lbId))).statusCode, 401);
  });

  it('answers 400 in Octavia fault format for a bad limit, marker, resource type or key', async () => {
    const { lbId } = await loadBalancerWithListener(owner.token);
    const get = (query: string) => api.call('GET', `${EVENTS(lbId)}?${query}`, owner.token);
    assertFault(await get('limit=0'), 400, "Supplied pagination limit '0' is not valid.");
    assertFault(await get('limit=ten'), 400, "Supplied pagination limit 'ten' is not valid.");
    assertFault(await get('marker=abc'), 400, "Supplied pagination marker 'abc' is not valid.");
    assertFault(await get('resource_type=vip'), 400, 'vip is not a valid option for resource_type');
    assertFault(await get('sort=id'), 400, 'One or more arguments are either duplicate or invalid');
    assert.equal((await get('limit=5000')).json().events.length, 7, 'a limit over 1,000 reads as 1,000');
  });

  it('is served below the load-balancer catalog prefix too', async () => {
    const { lbId } = await loadBalancerWithListener(owner.token);
    const response = await api.call('GET', `/load-balancer${EVENTS(lbId)}`, owner.token);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().events.length, 7);
  });
});
