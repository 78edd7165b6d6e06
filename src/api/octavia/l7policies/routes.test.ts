import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  insertPool,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { deleteQuota, setQuota } from '../../../store/repositories/quota-repository.ts';

const POLICIES = '/v2/lbaas/l7policies';
let api: TestApi;
let lb: LoadBalancerWire;
let listener: { id: string };
let port = 4000;

const newListener = (protocol = 'HTTP') =>
  created(api, '/v2/lbaas/listeners', 'listener', {
    loadbalancer_id: lb.id,
    protocol,
    protocol_port: ++port,
  });
const post = (fields: Record<string, unknown>, on = listener) =>
  api.call('POST', POLICIES, api.adminToken, { l7policy: { listener_id: on.id, ...fields } });
const create = (fields: Record<string, unknown>, on = listener) =>
  created(api, POLICIES, 'l7policy', { listener_id: on.id, ...fields });
async function put(id: string, fields: Record<string, unknown>) {
  const response = await api.call('PUT', `${POLICIES}/${id}`, api.adminToken, { l7policy: fields });
  await api.provisioner.idle();
  return response;
}
const get = async (url: string, token = api.adminToken) => (await api.call('GET', url, token)).json();
async function positions(on: { id: string }) {
  const listed = (await get(`/v2/lbaas/listeners/${on.id}`)).listener.l7policies.map(
    (p: { id: string }) => p.id,
  );
  const all = (await get(`${POLICIES}?listener_id=${on.id}`)).l7policies;
  return listed.map((id: string) => [id, all.find((p: { id: string }) => p.id === id).position]);
}
const URL_ACTION = { action: 'REDIRECT_TO_URL', redirect_url: 'https://example.com/' };

describe('L7 policies API (reference §8.1)', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
    listener = await newListener();
  });
  after(async () => api.close());

  it('creates a policy in the l7policy envelope, locking its listener and load balancer', async () => {
    await api.provisioner.stop();
    const response = await post({ ...URL_ACTION, name: 'to-https' });
    assert.equal(response.statusCode, 201);
    const policy = response.json().l7policy;
    assert.deepEqual(
      [policy.provisioning_status, policy.operating_status, policy.redirect_http_code, policy.position],
      ['PENDING_CREATE', 'OFFLINE', 302, 1],
    );
    assert.deepEqual(
      [policy.rules, policy.redirect_pool_id, policy.tenant_id],
      [[], null, policy.project_id],
    );
    assert.equal(
      (await get(`/v2/lbaas/listeners/${listener.id}`)).listener.provisioning_status,
      'PENDING_UPDATE',
    );
    assert.equal(
      (await get(`/v2/lbaas/loadbalancers/${lb.id}`)).loadbalancer.provisioning_status,
      'PENDING_UPDATE',
    );
    api.provisioner.start();
    await api.provisioner.idle();
    const active = (await get(`${POLICIES}/${policy.id}`)).l7policy;
    assert.deepEqual([active.provisioning_status, active.operating_status], ['ACTIVE', 'ONLINE']);
    assert.equal((await get(`/v2/lbaas/listeners/${listener.id}`)).listener.provisioning_status, 'ACTIVE');
  });

  it('keeps positions dense: inserting shifts, beyond the end appends, moving and deleting renumber', async () => {
    const on = await newListener();
    const a = await create({ action: 'REJECT' }, on);
    const b = await create({ action: 'REJECT', position: 1 }, on);
    const c = await create({ action: 'REJECT', position: 99 }, on);
    assert.deepEqual(await positions(on), [
      [b.id, 1],
      [a.id, 2],
      [c.id, 3],
    ]);
    await put(c.id, { position: 1 });
    assert.deepEqual(await positions(on), [
      [c.id, 1],
      [b.id, 2],
      [a.id, 3],
    ]);
    await put(c.id, { position: 50 });
    assert.deepEqual(await positions(on), [
      [b.id, 1],
      [a.id, 2],
      [c.id, 3],
    ]);
    await api.provisioner.stop();
    assert.equal((await api.call('DELETE', `${POLICIES}/${b.id}`, api.adminToken)).statusCode, 204);
    // Until the controller removes it, the deleted policy keeps its place (as in Octavia).
    assert.deepEqual(await positions(on), [
      [b.id, 1],
      [a.id, 2],
      [c.id, 3],
    ]);
    api.provisioner.start();
    await api.provisioner.idle();
    assert.deepEqual(await positions(on), [
      [a.id, 1],
      [c.id, 2],
    ]);
    const d = await create({ action: 'REJECT', position: 2 }, on);
    assert.deepEqual(await positions(on), [
      [a.id, 1],
      [d.id, 2],
      [c.id, 3],
    ]);
  });

  it('lists by created_at then id by default, not by position, as Octavia pagination does', async () => {
    const on = await newListener();
    const first = await create({ action: 'REJECT' }, on);
    const second = await create({ action: 'REJECT', position: 1 }, on);
    const third = await create({ action: 'REJECT', position: 1 }, on);
    // Creation times a second apart (Octavia stores whole seconds, so requests in one second tie).
    for (const [i, id] of [first.id, second.id, third.id].entries())
      await api.store.db
        .updateTable('l7policies')
        .set({ created_at: `2030-01-01T00:00:0${i}.000Z` })
        .where('id', '=', id)
        .execute();
    const ids = async (query: string) =>
      (await get(`${POLICIES}?listener_id=${on.id}${query}`)).l7policies.map((p: { id: string }) => p.id);
    assert.deepEqual(await ids(''), [first.id, second.id, third.id]);
    assert.deepEqual(await ids('&sort=position'), [third.id, second.id, first.id]);
    const page = await get(`${POLICIES}?listener_id=${on.id}&limit=1`);
    const [next] = page.l7policies_links;
    assert.equal(new URL(next.href).searchParams.get('marker'), first.id);
    assert.doesNotMatch(next.href, /sort/, 'links carry no sort the client did not ask for');
  });

  it('clears what the action does not use and defaults the redirect code', async () => {
    const poolId = await insertPool(api, lb, 'HTTP');
    const toPool = await create({
      action: 'REDIRECT_TO_POOL',
      redirect_pool_id: poolId,
      redirect_http_code: 301,
    });
    assert.deepEqual([toPool.redirect_pool_id, toPool.redirect_http_code], [poolId, null]);
    // A lone redirect argument switches the action (reference §8.1).
    const switched = (await put(toPool.id, { redirect_prefix: 'https://example.org' })).json().l7policy;
    assert.deepEqual(
      [switched.action, switched.redirect_prefix, switched.redirect_pool_id, switched.redirect_http_code],
      ['REDIRECT_PREFIX', 'https://example.org', null, 302],
    );
    const rejected = (await put(toPool.id, { action: 'REJECT' })).json().l7policy;
    assert.deepEqual(
      [rejected.action, rejected.redirect_url, rejected.redirect_pool_id],
      ['REJECT', null, null],
    );
    const toUrl = (
      await put(toPool.id, { redirect_url: 'http://a.example/x', redirect_http_code: 308 })
    ).json();
    assert.deepEqual([toUrl.l7policy.action, toUrl.l7policy.redirect_http_code], ['REDIRECT_TO_URL', 308]);
  });

  it('accepts a redirect pool on the load balancer whose protocol the listener can use', async () => {
    const poolId = await insertPool(api, lb, 'PROXY');
    const policy = await create({ action: 'REDIRECT_TO_POOL', redirect_pool_id: poolId });
    assert.equal(policy.redirect_pool_id, poolId);
  });

  it('rejects a redirect pool that does not exist on the load balancer', async () => {
    const missing = randomUUID();
    assert.deepEqual(fault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: missing })), {
      status: 404,
      faultstring: `Pool ${missing} not found.`,
    });
  });

  it('rejects a redirect pool whose protocol the listener cannot use', async () => {
    const poolId = await insertPool(api, lb, 'TCP');
    assert.deepEqual(fault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: poolId })), {
      status: 400,
      faultstring:
        "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.",
    });
  });

  it('rejects a policy on a listener that does not exist', async () => {
    const id = randomUUID();
    assert.deepEqual(fault(await post({ action: 'REJECT' }, { id })), {
      status: 404,
      faultstring: `Listener ${id} not found.`,
    });
  });

  it('rejects a policy on a PROMETHEUS listener', async () => {
    const prometheus = await newListener('PROMETHEUS');
    assert.deepEqual(fault(await post({ action: 'REJECT' }, prometheus)), {
      status: 400,
      faultstring: 'Protocol PROMETHEUS listeners cannot have child objects.',
    });
  });

  it('rejects an empty update', async () => {
    const policy = await create({ action: 'REJECT' });
    assert.deepEqual(fault(await put(policy.id, {})), {
      status: 400,
      faultstring: 'Invalid L7 Policy arguments: Invalid update options',
    });
  });

  it('rejects a redirect pool together with a redirect URL in an update', async () => {
    const policy = await create({ action: 'REJECT' });
    const poolId = await insertPool(api, lb, 'HTTP');
    assert.deepEqual(
      fault(await put(policy.id, { redirect_pool_id: poolId, redirect_url: 'http://x.example' })),
      {
        status: 400,
        faultstring:
          'Invalid L7 Policy arguments: Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time',
      },
    );
  });

  it('refuses a policy beyond the project quota', async () => {
    await setQuota(api.store.db, lb.project_id, { l7policy: 0 });
    try {
      assert.deepEqual(fault(await post({ action: 'REJECT' })), {
        status: 403,
        faultstring: 'Quota has been met for resources: L7 Policy',
      });
    } finally {
      await deleteQuota(api.store.db, lb.project_id);
    }
  });

  it('refuses a policy change while the load balancer is pending', async () => {
    const policy = await create({ action: 'REJECT' });
    await api.provisioner.stop();
    assert.equal(
      (await api.call('PUT', `${POLICIES}/${policy.id}`, api.adminToken, { l7policy: { name: 'n' } }))
        .statusCode,
      200,
    );
    assert.deepEqual(fault(await post({ action: 'REJECT' })), {
      status: 409,
      faultstring: `Load Balancer ${lb.id} is immutable and cannot be updated.`,
    });
    api.provisioner.start();
    await api.provisioner.idle();
  });

  it('accepts a redirect URL whose path holds a non-control character above U+009F (U+00A0)', async () => {
    const response = await post({ ...URL_ACTION, redirect_url: 'https://example.com/a\u00a0b' });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().l7policy.redirect_url, 'https://example.com/a\u00a0b');
    await api.provisioner.idle();
  });

  it('answers 404 for a policy that does not exist', async () => {
    assert.deepEqual(fault(await api.call('GET', `${POLICIES}/nope`, api.adminToken)), {
      status: 404,
      faultstring: 'L7 Policy nope not found.',
    });
  });

  describe('answers 400 with the exact fault and creates nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'a missing action',
        {},
        "Invalid input for field/attribute action. Value: 'None'. Mandatory field missing.",
      ],
      [
        'a redirect to a URL without the URL',
        { action: 'REDIRECT_TO_URL' },
        'Invalid L7 Policy arguments: redirect_url must not be None',
      ],
      [
        'a redirect to a pool without the pool',
        { action: 'REDIRECT_TO_POOL' },
        'Invalid L7 Policy arguments: redirect_pool_id or redirect_pool must not be None',
      ],
      [
        'a prefix redirect without the prefix',
        { action: 'REDIRECT_PREFIX' },
        'Invalid L7 Policy arguments: redirect_prefix must not be None',
      ],
      [
        'a redirect URL that is not an http(s) URL',
        { ...URL_ACTION, redirect_url: 'ftp://example.com/' },
        "Invalid input for field/attribute redirect_url. Value: 'ftp://example.com/'. Value must be a valid URL string",
      ],
      [
        'a redirect URL with a space',
        { ...URL_ACTION, redirect_url: 'http://example.com/a b' },
        "Invalid input for field/attribute redirect_url. Value: 'http://example.com/a b'. Value must be a valid URL string",
      ],
      [
        'a redirect URL with a C1 control character (U+0085)',
        { ...URL_ACTION, redirect_url: 'http://example.com/a\u0085b' },
        "Invalid input for field/attribute redirect_url. Value: 'http://example.com/a\u0085b'. Value must be a valid URL string",
      ],
      [
        'a redirect prefix with U+009F',
        { action: 'REDIRECT_PREFIX', redirect_prefix: 'https://example.com/x\u009f' },
        "Invalid input for field/attribute redirect_prefix. Value: 'https://example.com/x\u009f'. Value must be a valid URL string",
      ],
      [
        'a redirect code outside the enum',
        { ...URL_ACTION, redirect_http_code: 304 },
        "Invalid input for field/attribute redirect_http_code. Value: '304'. Value should be one of: 301, 302, 303, 307, 308",
      ],
      [
        'a position below 1',
        { action: 'REJECT', position: 0 },
        "Invalid input for field/attribute position. Value: '0'. Value should be greater or equal to 1",
      ],
      [
        'inline rules outside a fully populated load balancer create',
        { action: 'REJECT', rules: [{ type: 'PATH', compare_type: 'EQUAL_TO', value: '/' }] },
        'Validation failure: Inline child objects are only accepted when creating a fully populated load balancer.',
      ],
    ];
    for (const [what, fields, message] of cases) {
      it(`rejects ${what}`, async () => {
        const before = (await get(POLICIES)).l7policies.length;
        assert.deepEqual(fault(await post(fields)), { status: 400, faultstring: message });
        assert.equal((await get(POLICIES)).l7policies.length, before);
      });
    }
  });

  describe('RBAC (reference §9.2)', () => {
    it("refuses another project's member and lets an observer only read", async () => {
      const owner = await api.userWithRoles(['load-balancer_member'], 'policy-owner');
      const observer = await api.userWithRoles(['load-balancer_observer'], 'policy-owner');
      const stranger = await api.userWithRoles(['load-balancer_member']);
      const ownLb = await newLoadBalancer(api, owner.token);
      const ownListener = await created(
        api,
        '/v2/lbaas/listeners',
        'listener',
        { loadbalancer_id: ownLb.id, protocol: 'HTTP', protocol_port: 80 },
        owner.token,
      );
      const policy = await created(
        api,
        POLICIES,
        'l7policy',
        { listener_id: ownListener.id, action: 'REJECT' },
        owner.token,
      );
      for (const token of [stranger.token, observer.token]) {
        for (const [method, url, body] of [
          ['PUT', `${POLICIES}/${policy.id}`, { l7policy: { name: 'x' } }],
          ['DELETE', `${POLICIES}/${policy.id}`, undefined],
          ['POST', POLICIES, { l7policy: { listener_id: ownListener.id, action: 'REJECT' } }],
        ] as const) {
          assert.equal((await api.call(method, url, token, body)).statusCode, 403, `${method} ${url}`);
        }
      }
      assert.equal((await api.call('GET', `${POLICIES}/${policy.id}`, stranger.token)).statusCode, 403);
      assert.equal((await api.call('GET', `${POLICIES}/${policy.id}`, observer.token)).statusCode, 200);
      assert.deepEqual((await get(POLICIES, stranger.token)).l7policies, []);
      const observed = (await get(POLICIES, observer.token)).l7policies.map((p: { id: string }) => p.id);
      assert.deepEqual(observed, [policy.id]);
      assert.equal((await get(POLICIES)).l7policies.length > 1, true, 'an admin lists every project');
    });
  });
});
