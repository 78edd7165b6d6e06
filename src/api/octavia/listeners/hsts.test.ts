import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LISTENERS = '/v2/lbaas/listeners';
const TLS = { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: 'cert-1' };
const NEEDS_MAX_AGE =
  'Validation failure: HSTS configuration options hsts_include_subdomains and hsts_preload only make sense if ' +
  'hsts_max_age is set as well.';
const NEEDS_TERMINATED_HTTPS =
  'Validation failure: The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.';
const PUT_NEEDS_MAX_AGE =
  'Validation failure: Cannot enable hsts_include_subdomains or hsts_preload if hsts_max_age was not set as well.';

describe('listeners API: HSTS fields (API 2.27)', () => {
  let api: TestApi;
  let lb: LoadBalancerWire;
  let port = 4000;
  const create = (fields: Record<string, unknown>) =>
    created(api, LISTENERS, 'listener', { loadbalancer_id: lb.id, protocol_port: ++port, ...fields });
  const post = (fields: Record<string, unknown>) =>
    api.call('POST', LISTENERS, api.adminToken, {
      listener: { loadbalancer_id: lb.id, protocol_port: ++port, ...fields },
    });
  const put = async (id: string, fields: Record<string, unknown>) => {
    const response = await api.call('PUT', `${LISTENERS}/${id}`, api.adminToken, { listener: fields });
    await api.provisioner.idle();
    return response;
  };

  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
  });
  after(() => api.close());

  it('answers null and false when HSTS is not asked for', async () => {
    const listener = await create({ protocol: 'HTTP' });
    assert.deepEqual(
      [listener.hsts_max_age, listener.hsts_include_subdomains, listener.hsts_preload],
      [null, false, false],
    );
  });

  it('stores the three fields of a TERMINATED_HTTPS listener and shows them', async () => {
    const listener = await create({
      ...TLS,
      hsts_max_age: 100,
      hsts_include_subdomains: true,
      hsts_preload: true,
    });
    const shown = (await api.call('GET', `${LISTENERS}/${listener.id}`, api.adminToken)).json().listener;
    assert.deepEqual(
      [shown.hsts_max_age, shown.hsts_include_subdomains, shown.hsts_preload],
      [100, true, true],
    );
  });

  it('refuses flags without a max age, a max age off TERMINATED_HTTPS and a negative age', async () => {
    assert.deepEqual(fault(await post({ ...TLS, hsts_preload: true })), {
      status: 400,
      faultstring: NEEDS_MAX_AGE,
    });
    assert.deepEqual(fault(await post({ protocol: 'HTTP', hsts_max_age: 10 })), {
      status: 400,
      faultstring: NEEDS_TERMINATED_HTTPS,
    });
    assert.equal((await post({ ...TLS, hsts_max_age: -1 })).statusCode, 400);
  });

  it('on PUT, refuses a flag while no max age is stored or given, and accepts it with one', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { hsts_include_subdomains: true })), {
      status: 400,
      faultstring: PUT_NEEDS_MAX_AGE,
    });
    const response = await put(listener.id, { hsts_max_age: 3600, hsts_include_subdomains: true });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().listener.hsts_max_age, 3600);
    const flagOnly = await put(listener.id, { hsts_preload: true });
    assert.deepEqual([flagOnly.statusCode, flagOnly.json().listener.hsts_preload], [200, true]);
    const off = await put(listener.id, { hsts_max_age: null });
    assert.equal(off.json().listener.hsts_max_age, null);
  });

  it('on PUT, refuses a max age on a listener that is not TERMINATED_HTTPS', async () => {
    const listener = await create({ protocol: 'HTTP' });
    assert.deepEqual(fault(await put(listener.id, { hsts_max_age: 5 })), {
      status: 400,
      faultstring: NEEDS_TERMINATED_HTTPS,
    });
  });
});
