import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
let api: TestApi;

const webPool = {
  name: 'web',
  protocol: 'HTTP',
  lb_algorithm: 'ROUND_ROBIN',
  healthmonitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 2, url_path: '/healthz' },
  members: [
    { address: '127.0.0.11', protocol_port: 8080 },
    { address: '127.0.0.12', protocol_port: 8080, weight: 3 },
  ],
};

function graph(overrides: Record<string, unknown> = {}) {
  return {
    loadbalancer: {
      name: 'full',
      vip_subnet_id: api.publicSubnetId,
      listeners: [
        {
          name: 'http',
          protocol: 'HTTP',
          protocol_port: 80,
          default_pool: webPool,
          l7policies: [
            {
              name: 'api',
              action: 'REDIRECT_TO_POOL',
              redirect_pool: { name: 'api' },
              rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' }],
            },
          ],
        },
      ],
      pools: [
        {
          name: 'api',
          protocol: 'HTTP',
          lb_algorithm: 'LEAST_CONNECTIONS',
          members: [{ address: '127.0.0.13', protocol_port: 9000 }],
        },
      ],
      ...overrides,
    },
  };
}

async function refused(body: unknown, status: number, faultstring: string) {
  const before = (await api.call('GET', LB, api.adminToken)).json().loadbalancers.length;
  const response = await api.call('POST', LB, api.adminToken, body);
  assert.equal(response.statusCode, status, response.body);
  assert.equal(response.json().faultstring, faultstring);
  assert.equal(
    (await api.call('GET', LB, api.adminToken)).json().loadbalancers.length,
    before,
    'nothing was created',
  );
}

describe('fully populated load balancer create', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('creates the whole graph in one call and answers its full form', async () => {
    const response = await api.call('POST', LB, api.adminToken, graph());
    assert.equal(response.statusCode, 201, response.body);
    const lb = response.json().loadbalancer;
    assert.equal(lb.listeners.length, 1);
    const [listener] = lb.listeners;
    assert.equal(listener.loadbalancers, undefined, 'no back-reference in the full form');
    assert.equal(listener.provisioning_status, 'PENDING_CREATE');
    assert.equal(listener.l7policies[0].rules[0].value, '/api');
    assert.deepEqual(lb.pools.map((p: { name: string }) => p.name).sort(), ['api', 'web']);
    const web = lb.pools.find((p: { name: string }) => p.name === 'web');
    assert.equal(listener.default_pool_id, web.id);
    assert.equal(web.members.length, 2);
    assert.equal(web.healthmonitor.url_path, '/healthz');
    assert.equal(web.healthmonitor.pools, undefined);
    const api1 = lb.pools.find((p: { name: string }) => p.name === 'api');
    assert.equal(listener.l7policies[0].redirect_pool_id, api1.id);
    assert.equal(api1.healthmonitor, null);

    await api.provisioner.idle();
    const status = (await api.call('GET', `${LB}/${lb.id}/status`, api.adminToken)).json().statuses
      .loadbalancer;
    assert.equal(status.provisioning_status, 'ACTIVE');
    const pools = status.listeners[0].pools;
    assert.deepEqual(
      pools.map((p: { name: string }) => p.name),
      ['web', 'api'],
    );
    assert.ok(pools.every((p: { provisioning_status: string }) => p.provisioning_status === 'ACTIVE'));
    assert.equal(pools[0].health_monitor.operating_status, 'ONLINE');
    const desired = api.noop.applied.get(lb.id);
    assert.equal(desired?.pools.length, 2);
    assert.equal(desired?.listeners[0].l7policies[0].rules.length, 1);
  });

  it('requires every pool to be named', async () => {
    await refused(
      graph({ pools: [{ protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }] }),
      400,
      'Validation failure: Pools must be named when creating a fully populated loadbalancer.',
    );
  });

  it('refuses a pool referenced by name without a full definition', async () => {
    await refused(
      graph({ pools: [] }),
      400,
      "Validation failure: Pool 'api' was referenced but no full definition was found.",
    );
  });

  it('requires a full pool definition to carry protocol and lb_algorithm', async () => {
    await refused(
      graph({ pools: [{ name: 'api', lb_algorithm: 'ROUND_ROBIN' }] }),
      400,
      'Validation failure: Pool api is missing required attribute: protocol',
    );
  });

  it('refuses a default pool whose protocol the listener cannot use', async () => {
    await refused(
      graph({
        listeners: [
          {
            protocol: 'HTTP',
            protocol_port: 80,
            default_pool: { name: 'tcp', protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' },
          },
        ],
        pools: [],
      }),
      400,
      "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.",
    );
  });

  it('refuses children under a PROMETHEUS listener', async () => {
    await refused(
      graph({ listeners: [{ protocol: 'PROMETHEUS', protocol_port: 9100, default_pool: { name: 'api' } }] }),
      400,
      'Protocol PROMETHEUS listeners cannot have child objects.',
    );
  });

  it('refuses two listeners on one port of the same L4 space', async () => {
    await refused(
      graph({
        listeners: [
          { protocol: 'HTTP', protocol_port: 80 },
          { protocol: 'TCP', protocol_port: 80 },
        ],
        pools: [],
      }),
      409,
      'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80',
    );
  });

  it('refuses a reserved member address', async () => {
    await refused(
      graph({
        listeners: [],
        pools: [
          {
            name: 'p',
            protocol: 'TCP',
            lb_algorithm: 'ROUND_ROBIN',
            members: [{ address: '169.254.169.254', protocol_port: 80 }],
          },
        ],
      }),
      400,
      '169.254.169.254 is not a valid option for member address',
    );
  });

  it('names an unknown nested attribute with its full argument path', async () => {
    await refused(
      graph({ listeners: [{ protocol: 'HTTP', protocol_port: 81, bogus: 1 }] }),
      400,
      'Unknown attribute for argument load_balancer.loadbalancer.listeners: bogus',
    );
  });

  it('checks every object class of the request against the quota', async () => {
    const member = await api.userWithRoles(['load-balancer_member']);
    await setQuota(api.store.db, member.projectId, { member: 2 });
    const response = await api.call('POST', LB, member.token, graph());
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().faultstring, 'Quota has been met for resources: Member');
  });
});
