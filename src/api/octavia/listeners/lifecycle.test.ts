import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LISTENERS = '/v2/lbaas/listeners';
const LB = '/v2/lbaas/loadbalancers';
let api: TestApi;
let lb: LoadBalancerWire;
let port = 3000;

const create = (fields: Record<string, unknown> = {}, on = lb, token = api.adminToken) =>
  created(
    api,
    LISTENERS,
    'listener',
    { loadbalancer_id: on.id, protocol: 'HTTP', protocol_port: ++port, ...fields },
    token,
  );
const get = async (url: string, token = api.adminToken) => (await api.call('GET', url, token)).json();
const status = async (id: string) => (await get(`${LISTENERS}/${id}`)).listener?.provisioning_status;
const lbStatus = async () => (await get(`${LB}/${lb.id}`)).loadbalancer.provisioning_status;

describe('listeners API: state machine, stats, listing and RBAC', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
  });
  after(async () => api.close());

  it('locks the load balancer while a listener change is pending and refuses other writers with 409', async () => {
    const listener = await create();
    await api.provisioner.stop();
    const update = await api.call('PUT', `${LISTENERS}/${listener.id}`, api.adminToken, {
      listener: { name: 'x' },
    });
    assert.equal(update.statusCode, 200);
    assert.deepEqual([await status(listener.id), await lbStatus()], ['PENDING_UPDATE', 'PENDING_UPDATE']);
    const immutable = {
      status: 409,
      faultstring: `Load Balancer ${lb.id} is immutable and cannot be updated.`,
    };
    const second = await api.call('POST', LISTENERS, api.adminToken, {
      listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: ++port },
    });
    assert.deepEqual(fault(second), immutable);
    assert.deepEqual(
      fault(await api.call('DELETE', `${LISTENERS}/${listener.id}`, api.adminToken)),
      immutable,
    );
    assert.equal((await api.call('GET', `${LISTENERS}/${listener.id}`, api.adminToken)).statusCode, 200);
    api.provisioner.start();
    await api.provisioner.idle();
    assert.deepEqual([await status(listener.id), await lbStatus()], ['ACTIVE', 'ACTIVE']);
    assert.ok(api.noop.applied.get(lb.id)?.listeners.some((l) => l.id === listener.id));
  });

  it('lets an ERROR listener be updated and deleted while the load balancer is ACTIVE', async () => {
    const listener = await create();
    await api.store.db
      .updateTable('listeners')
      .set({ provisioning_status: 'ERROR' })
      .where('id', '=', listener.id)
      .execute();
    const response = await api.call('PUT', `${LISTENERS}/${listener.id}`, api.adminToken, {
      listener: { name: 'fixed' },
    });
    assert.equal(response.statusCode, 200);
    await api.provisioner.idle();
    assert.equal(await status(listener.id), 'ACTIVE');
    await api.store.db
      .updateTable('listeners')
      .set({ provisioning_status: 'ERROR' })
      .where('id', '=', listener.id)
      .execute();
    assert.equal((await api.call('DELETE', `${LISTENERS}/${listener.id}`, api.adminToken)).statusCode, 204);
    await api.provisioner.idle();
    assert.equal(await status(listener.id), undefined);
  });

  it('turns the listener ERROR and the load balancer back ACTIVE when the provider fails', async () => {
    const apply = api.noop.apply;
    api.noop.apply = async () => {
      throw new Error('data plane refused');
    };
    try {
      const response = await api.call('POST', LISTENERS, api.adminToken, {
        listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: ++port },
      });
      await api.provisioner.idle();
      assert.equal(await status(response.json().listener.id), 'ERROR');
      assert.equal(await lbStatus(), 'ACTIVE');
    } finally {
      api.noop.apply = apply;
    }
  });

  it('deletes a listener with its L7 policies and rules', async () => {
    const listener = await create();
    const policy = await created(api, '/v2/lbaas/l7policies', 'l7policy', {
      listener_id: listener.id,
      action: 'REJECT',
    });
    const rule = await created(api, `/v2/lbaas/l7policies/${policy.id}/rules`, 'rule', {
      type: 'PATH',
      compare_type: 'STARTS_WITH',
      value: '/',
    });
    await api.provisioner.stop();
    const response = await api.call('DELETE', `${LISTENERS}/${listener.id}`, api.adminToken);
    assert.equal(response.statusCode, 204);
    assert.equal(await status(listener.id), 'PENDING_DELETE');
    assert.equal(
      (await get(`/v2/lbaas/l7policies/${policy.id}`)).l7policy.provisioning_status,
      'PENDING_DELETE',
    );
    assert.equal(
      (await get(`/v2/lbaas/l7policies/${policy.id}/rules/${rule.id}`)).rule.provisioning_status,
      'PENDING_DELETE',
    );
    api.provisioner.start();
    await api.provisioner.idle();
    assert.deepEqual(fault(await api.call('GET', `${LISTENERS}/${listener.id}`, api.adminToken)), {
      status: 404,
      faultstring: `Listener ${listener.id} not found.`,
    });
    assert.equal(
      (await api.call('GET', `/v2/lbaas/l7policies/${policy.id}`, api.adminToken)).statusCode,
      404,
    );
  });

  it('reports zero stats for a listener without counters', async () => {
    const listener = await create();
    assert.deepEqual(await get(`${LISTENERS}/${listener.id}/stats`), {
      stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 },
    });
  });

  it('sums stats over amphorae, counting active connections only from ALLOCATED ones', async () => {
    const listener = await create();
    const amphora = async (status: string) => {
      const id = randomUUID();
      await api.store.db
        .insertInto('amphorae')
        .values({ id, load_balancer_id: lb.id, status, cert_busy: 0, created_at: new Date().toISOString() })
        .execute();
      return id;
    };
    const rows = [
      [await amphora('ALLOCATED'), 10],
      [await amphora('READY'), 20],
      [listener.id, 40], // a provider reporting without amphorae uses the listener id
    ] as const;
    for (const [amphoraId, n] of rows) {
      await api.store.db
        .insertInto('listener_statistics')
        .values({
          listener_id: listener.id,
          amphora_id: amphoraId,
          bytes_in: n,
          bytes_out: n * 2,
          active_connections: n,
          total_connections: n * 3,
          request_errors: 1,
        })
        .execute();
    }
    assert.deepEqual(await get(`${LISTENERS}/${listener.id}/stats`), {
      stats: {
        bytes_in: 70,
        bytes_out: 140,
        active_connections: 50,
        total_connections: 210,
        request_errors: 3,
      },
    });
  });

  it('lists listeners with filters, the parent load balancer filter, paging links and fields', async () => {
    const other = await newLoadBalancer(api);
    const mine = await create({ name: 'only-on-other', protocol: 'TCP' }, other);
    const byLb = await get(`${LISTENERS}?loadbalancer_id=${other.id}`);
    assert.deepEqual(
      byLb.listeners.map((l: { id: string }) => l.id),
      [mine.id],
    );
    assert.deepEqual(byLb.listeners_links, []);
    const tcp = await get(`${LISTENERS}?protocol=TCP&name=only-on-other`);
    assert.deepEqual(
      tcp.listeners.map((l: { id: string }) => l.id),
      [mine.id],
    );
    const page = await get(`${LISTENERS}?limit=1`);
    assert.equal(page.listeners.length, 1);
    assert.equal(page.listeners_links[0].rel, 'next');
    assert.match(page.listeners_links[0].href, /\/v2\/lbaas\/listeners\?limit=1&marker=/);
    const projected = await get(`${LISTENERS}/${mine.id}?fields=id&fields=protocol`);
    assert.deepEqual(projected, { listener: { id: mine.id, protocol: 'TCP' } });
    assert.equal((await api.call('GET', `${LISTENERS}?bogus=1`, api.adminToken)).statusCode, 400);
  });

  describe('RBAC (reference §9.2)', () => {
    it("lets a member manage listeners of their project and refuses another project's member", async () => {
      const owner = await api.userWithRoles(['load-balancer_member']);
      const stranger = await api.userWithRoles(['load-balancer_member']);
      const ownLb = await newLoadBalancer(api, owner.token);
      const listener = await create({}, ownLb, owner.token);
      assert.equal(listener.project_id, owner.projectId);
      const forbidden = { status: 403, faultstring: 'Policy does not allow this request to be performed.' };
      for (const [method, url, body] of [
        ['GET', `${LISTENERS}/${listener.id}`, undefined],
        ['GET', `${LISTENERS}/${listener.id}/stats`, undefined],
        ['PUT', `${LISTENERS}/${listener.id}`, { listener: { name: 'stolen' } }],
        ['DELETE', `${LISTENERS}/${listener.id}`, undefined],
        ['POST', LISTENERS, { listener: { loadbalancer_id: ownLb.id, protocol: 'TCP', protocol_port: 9 } }],
      ] as const) {
        assert.deepEqual(
          fault(await api.call(method, url, stranger.token, body)),
          forbidden,
          `${method} ${url}`,
        );
      }
      const mine = (await get(LISTENERS, owner.token)).listeners.map((l: { id: string }) => l.id);
      assert.deepEqual(mine, [listener.id]);
      assert.deepEqual((await get(LISTENERS, stranger.token)).listeners, []);
      assert.equal(
        (await api.call('GET', `${LISTENERS}?project_id=${owner.projectId}`, stranger.token)).statusCode,
        403,
      );
      const renamed = await api.call('PUT', `${LISTENERS}/${listener.id}`, owner.token, {
        listener: { name: 'ok' },
      });
      assert.equal(renamed.statusCode, 200);
      await api.provisioner.idle();
      assert.equal((await api.call('DELETE', `${LISTENERS}/${listener.id}`, owner.token)).statusCode, 204);
      await api.provisioner.idle();
    });

    it('lets an observer read listeners of its project but not write them', async () => {
      const owner = await api.userWithRoles(['load-balancer_member'], 'observed-project');
      const observer = await api.userWithRoles(['load-balancer_observer'], 'observed-project');
      const ownLb = await newLoadBalancer(api, owner.token);
      const listener = await create({}, ownLb, owner.token);
      assert.equal((await api.call('GET', `${LISTENERS}/${listener.id}`, observer.token)).statusCode, 200);
      assert.equal(
        (await api.call('GET', `${LISTENERS}/${listener.id}/stats`, observer.token)).statusCode,
        200,
      );
      assert.deepEqual(
        (await get(LISTENERS, observer.token)).listeners.map((l: { id: string }) => l.id),
        [listener.id],
      );
      const put = await api.call('PUT', `${LISTENERS}/${listener.id}`, observer.token, {
        listener: { name: 'x' },
      });
      assert.equal(put.statusCode, 403);
    });

    it('lets a global observer list every project', async () => {
      const global = await api.userWithRoles(['load-balancer_global_observer']);
      const all = (await get(LISTENERS, api.adminToken)).listeners.length;
      assert.equal((await get(LISTENERS, global.token)).listeners.length, all);
    });
  });
});
