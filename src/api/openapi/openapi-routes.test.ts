import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

let api: TestApi;

describe('/openapi.json', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('serves an OpenAPI document without a token', async () => {
    const response = await api.call('GET', '/openapi.json');
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.0.3');
    assert.equal(document.info.title, 'Sluice');
  });

  it('lists every registered operation once, under its canonical prefix', async () => {
    const { paths } = (await api.call('GET', '/openapi.json')).json();
    assert.ok(paths['/v2/lbaas/loadbalancers'].post);
    assert.ok(paths['/v2/lbaas/loadbalancers/{id}'].delete);
    assert.ok(paths['/v3/auth/tokens'].post);
    assert.ok(paths['/v2.0/networks'].get);
    assert.equal(paths['/v2.0/lbaas/loadbalancers'], undefined, 'aliases are not repeated');
    assert.equal(
      paths['/load-balancer/v2/lbaas/loadbalancers'],
      undefined,
      'catalog prefixes are not repeated',
    );
  });

  it('describes request bodies with the same rules the parser enforces', async () => {
    const { paths } = (await api.call('GET', '/openapi.json')).json();
    const schema = paths['/v2/lbaas/loadbalancers'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.required, ['loadbalancer']);
    const lb = schema.properties.loadbalancer;
    assert.equal(lb.additionalProperties, false);
    assert.equal(lb.properties.name.maxLength, 255);
    assert.equal(lb.properties.vip_subnet_id.format, 'uuid');
  });
});

describe('/openapi.json coverage', () => {
  let full: TestApi;
  before(async () => {
    full = await startTestApi();
  });
  after(async () => full.close());

  it('gives every Octavia create and update a request body', async () => {
    const { paths } = (await full.call('GET', '/openapi.json')).json();
    const missing = Object.entries(paths as Record<string, Record<string, { requestBody?: unknown }>>)
      .filter(([path]) => path.startsWith('/v2/lbaas/') && !path.endsWith('/failover'))
      .flatMap(([path, ops]) =>
        ['post', 'put'].filter((m) => ops[m] && !ops[m].requestBody).map((m) => `${m.toUpperCase()} ${path}`),
      );
    assert.deepEqual(missing, []);
  });
});
