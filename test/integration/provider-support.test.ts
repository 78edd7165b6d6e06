// The API refuses, with 501 and nothing written, a change the load balancer's provider cannot serve
// (issue #4: "never a silent ignore"), here with the real native provider.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NativeProvider } from '../../src/providers/native/native-provider.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
let native: NativeProvider;
let lbId: string;

describe('provider support checked by the API', () => {
  before(async () => {
    native = new NativeProvider();
    api = await startTestApi({ extraDrivers: [native] });
    const created = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
    });
    assert.equal(created.statusCode, 201, created.body);
    lbId = created.json().loadbalancer.id;
    await api.provisioner.idle();
  });
  after(async () => {
    await api.close();
    await native.close();
  });

  it('answers 501 to a listener protocol the native provider cannot serve, and writes nothing', async () => {
    const response = await api.call('POST', '/v2/lbaas/listeners', api.adminToken, {
      listener: { loadbalancer_id: lbId, protocol: 'SCTP', protocol_port: 9000 },
    });
    assert.equal(response.statusCode, 501);
    assert.equal(
      response.json().faultstring,
      "Provider 'native' does not support a requested option: listener protocol SCTP",
    );
    const lb = (await api.call('GET', `/v2/lbaas/loadbalancers/${lbId}`, api.adminToken)).json().loadbalancer;
    assert.equal(lb.provisioning_status, 'ACTIVE', 'the lock was released with the rolled-back change');
    assert.deepEqual(lb.listeners, []);
  });

  it('answers 501 to a fully populated create with an unsupported pool option', async () => {
    const response = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: {
        vip_subnet_id: api.publicSubnetId,
        provider: 'native',
        pools: [{ name: 'p', protocol: 'SCTP', lb_algorithm: 'ROUND_ROBIN' }],
      },
    });
    assert.equal(response.statusCode, 501);
    assert.match(
      response.json().faultstring,
      /^Provider 'native' does not support a requested option: .*SCTP/,
    );
  });

  it('accepts what the provider serves', async () => {
    const response = await api.call('POST', '/v2/lbaas/listeners', api.adminToken, {
      listener: { loadbalancer_id: lbId, protocol: 'TCP', protocol_port: 19090 },
    });
    assert.equal(response.statusCode, 201, response.body);
    await api.provisioner.idle();
  });
});
