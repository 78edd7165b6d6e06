// The minimal compute API as Horizon and the openstack client read it: version documents, empty server,
// flavor and availability zone lists, Nova's 404 for any server, microversion negotiation, and 401s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

describe('compute API', () => {
  let api: TestApi;
  let base: string;
  const catalogEntry = async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': api.adminToken, 'x-subject-token': api.adminToken },
    });
    return response.json().token.catalog.find((entry: { type: string }) => entry.type === 'compute');
  };
  before(async () => {
    api = await startTestApi();
    base = (await catalogEntry()).endpoints[0].url;
  });
  after(() => api.close());

  const get = (
    path: string,
    token: string | undefined = api.adminToken,
    headers: Record<string, string> = {},
  ) =>
    api.app.inject({
      method: 'GET',
      url: path,
      headers: { ...(token && { 'x-auth-token': token }), ...headers },
    });

  it('is in the catalog as nova, type compute, at /compute/v2.1 on all three interfaces', async () => {
    const compute = await catalogEntry();
    assert.equal(compute.name, 'nova');
    assert.deepEqual(compute.endpoints.map((e: { interface: string }) => e.interface).sort(), [
      'admin',
      'internal',
      'public',
    ]);
    assert.match(compute.endpoints[0].url, /\/compute\/v2\.1$/);
  });

  it('serves the version list and the v2.1 document without a token, as Nova shapes them', async () => {
    const root = base.replace(/\/v2\.1$/, '');
    const v21 = {
      id: 'v2.1',
      status: 'CURRENT',
      version: '2.96',
      min_version: '2.1',
      updated: '2013-07-23T11:33:21Z',
    };
    for (const url of ['/compute', '/compute/']) {
      const response = await get(url, '');
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        versions: [{ ...v21, links: [{ rel: 'self', href: `${root}/v2.1/` }] }],
      });
    }
    for (const url of ['/compute/v2.1', '/compute/v2.1/']) {
      const response = await get(url, '');
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        version: {
          ...v21,
          links: [
            { rel: 'self', href: `${root}/v2.1/` },
            { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
          ],
          'media-types': [
            { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
          ],
        },
      });
    }
  });

  it('lists no servers, no flavors and no availability zones, without pagination links', async () => {
    const expected: Record<string, unknown> = {
      '/compute/v2.1/servers': { servers: [] },
      '/compute/v2.1/servers/detail?project_id=x&limit=21': { servers: [] },
      '/compute/v2.1/flavors': { flavors: [] },
      '/compute/v2.1/flavors/detail?is_public=None': { flavors: [] },
      '/compute/v2.1/os-availability-zone': { availabilityZoneInfo: [] },
      '/compute/v2.1/os-availability-zone/detail': { availabilityZoneInfo: [] },
    };
    for (const [url, body] of Object.entries(expected)) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, JSON.stringify(body), url);
    }
  });

  it('answers Nova’s itemNotFound for any server or flavor id', async () => {
    const server = await get('/compute/v2.1/servers/0b7a9d6e-2a2b-4c1e-9c3f-1f2e3d4c5b6a');
    assert.equal(server.statusCode, 404);
    assert.deepEqual(server.json(), {
      itemNotFound: {
        code: 404,
        message: 'Instance 0b7a9d6e-2a2b-4c1e-9c3f-1f2e3d4c5b6a could not be found.',
      },
    });
    const flavor = await get('/compute/v2.1/flavors/m1.small');
    assert.deepEqual(flavor.json(), {
      itemNotFound: { code: 404, message: 'Flavor m1.small could not be found.' },
    });
    const unknown = await get('/compute/v2.1/os-hypervisors');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), {
      itemNotFound: { code: 404, message: 'The resource could not be found.' },
    });
  });

  it('refuses a request without a valid token as keystonemiddleware does in front of Nova', async () => {
    for (const token of ['', 'not-a-token']) {
      const response = await get('/compute/v2.1/servers/detail', token);
      assert.equal(response.statusCode, 401);
      assert.deepEqual(response.json(), {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
      assert.match(String(response.headers['www-authenticate']), /^Keystone uri=/);
    }
  });

  it('negotiates the microversion and echoes it in Nova’s headers', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, '2.1'],
      [{ 'openstack-api-version': 'compute 2.60' }, '2.60'],
      [{ 'x-openstack-nova-api-version': '2.9' }, '2.9'],
      [{ 'openstack-api-version': 'compute latest' }, '2.96'],
      [{ 'openstack-api-version': 'volume 3.0, compute 2.53' }, '2.53'],
    ];
    for (const [headers, version] of cases) {
      const response = await get('/compute/v2.1/servers', api.adminToken, headers);
      assert.equal(response.statusCode, 200, JSON.stringify(headers));
      assert.equal(response.headers['openstack-api-version'], `compute ${version}`);
      assert.equal(response.headers['x-openstack-nova-api-version'], version);
      assert.equal(response.headers.vary, 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    }
  });

  it('refuses a microversion outside 2.1–2.96 with 406 and a malformed one with 400', async () => {
    const tooHigh = await get('/compute/v2.1/servers', api.adminToken, {
      'openstack-api-version': 'compute 2.97',
    });
    assert.equal(tooHigh.statusCode, 406);
    assert.deepEqual(tooHigh.json(), {
      computeFault: {
        code: 406,
        message: 'Version 2.97 is not supported by the API. Minimum is 2.1 and maximum is 2.96.',
      },
    });
    const malformed = await get('/compute/v2.1/servers', api.adminToken, {
      'x-openstack-nova-api-version': '2.x',
    });
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(malformed.json(), {
      badRequest: {
        code: 400,
        message: 'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.',
      },
    });
  });

  it('reports every limit as 0, leaving out the limits each microversion dropped', async () => {
    const at = async (version: string) => {
      const response = await get('/compute/v2.1/limits?reserved=1', api.adminToken, {
        'openstack-api-version': `compute ${version}`,
      });
      assert.equal(response.statusCode, 200);
      const { rate, absolute } = response.json().limits;
      assert.deepEqual(rate, []);
      assert.ok(Object.values(absolute).every((value) => value === 0));
      return Object.keys(absolute).sort();
    };
    const kept = [
      'maxServerGroupMembers',
      'maxServerGroups',
      'maxServerMeta',
      'maxTotalCores',
      'maxTotalInstances',
      'maxTotalKeypairs',
      'maxTotalRAMSize',
      'totalCoresUsed',
      'totalInstancesUsed',
      'totalRAMUsed',
      'totalServerGroupsUsed',
    ];
    const since236 = [...kept, 'maxImageMeta', 'maxPersonality', 'maxPersonalitySize'].sort();
    assert.deepEqual(
      await at('2.1'),
      [
        ...since236,
        'maxSecurityGroupRules',
        'maxSecurityGroups',
        'maxTotalFloatingIps',
        'totalFloatingIpsUsed',
        'totalSecurityGroupsUsed',
      ].sort(),
    );
    assert.deepEqual(await at('2.36'), since236);
    assert.deepEqual(
      await at('2.39'),
      since236.filter((name) => name !== 'maxImageMeta'),
    );
    assert.deepEqual(await at('2.57'), [...kept].sort());
  });

  it('answers an empty simple tenant usage for any valid period, and Nova’s 400 for a bad one', async () => {
    const period = 'start=2026-11-01T00:00:00&end=2026-12-01T00:00:00.000000';
    const one = await get(`/compute/v2.1/os-simple-tenant-usage/any-project?${period}&detailed=1`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json(), { tenant_usage: {} });
    const all = await get(`/compute/v2.1/os-simple-tenant-usage?${period}`);
    assert.deepEqual(all.json(), { tenant_usages: [] });
    const cases = [
      ['start=2026-11-01&end=2026-12-01T00:00:00', 'Invalid datetime string: Datetime is in invalid format'],
      [
        'start=2026-11-01 00:00:00&end=2026-12-01T00:00:00',
        'Invalid datetime string: Datetime is in invalid format',
      ],
      [
        'start=2026-12-01T00:00:00&end=2026-11-01T00:00:00',
        'Invalid start time. The start time cannot occur after the end time.',
      ],
    ] as const;
    for (const [query, message] of cases) {
      const response = await get(`/compute/v2.1/os-simple-tenant-usage/x?${encodeURI(query)}`);
      assert.equal(response.statusCode, 400, query);
      assert.deepEqual(response.json(), { badRequest: { code: 400, message } }, query);
    }
  });
});
