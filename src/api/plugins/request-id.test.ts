import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const get = (url: string, token: string | undefined = api.adminToken) =>
    api.app.inject({ method: 'GET', url, headers: token ? { 'x-auth-token': token } : {} });

  it('gives every answer of every API its own x-openstack-request-id, errors included', async () => {
    const answers = await Promise.all([
      get('/v2/lbaas/loadbalancers'),
      get('/v2.0/networks'),
      get('/v3/auth/projects'),
      get('/v2/lbaas/loadbalancers/nope'),
      get('/v2.0/networks', ''),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200, 404, 401],
    );
    const ids = answers.map((a) => String(a.headers['x-openstack-request-id']));
    for (const id of ids) assert.match(id, REQUEST_ID);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('repeats it as x-compute-request-id on the compute API, as Nova does', async () => {
    const answer = await get('/compute/v2.1/servers');
    assert.match(String(answer.headers['x-compute-request-id']), REQUEST_ID);
    assert.equal(answer.headers['x-compute-request-id'], answer.headers['x-openstack-request-id']);
  });
});
