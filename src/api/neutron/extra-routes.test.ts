// A router's extra routes through the wire: PUT `routes` replaces them, add/remove_extraroutes merge them,
// and Neutron's checks and messages (validate_hostroutes, the nexthop on a router subnet, the interface a
// route needs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { neutronError } from '../../../test/helpers/neutron-fixture.ts';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import { addExtraRoutes, removeExtraRoutes } from './extra-routes.ts';

let api: TestApi;
let member: { token: string; projectId: string };

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const response = await api.call(method, url, member.token, body);
  return {
    status: response.statusCode,
    text: response.body,
    body: response.body ? response.json() : undefined,
  };
}

/** A router plugged into a fresh 10.N.0.0/24 subnet (its interface holds 10.N.0.1). */
async function routedRouter(n: number) {
  const network = (await call('POST', '/v2.0/networks', { network: { name: `xr-${n}` } })).body.network;
  const subnet = (
    await call('POST', '/v2.0/subnets', {
      subnet: { network_id: network.id, ip_version: 4, cidr: `10.${n}.0.0/24` },
    })
  ).body.subnet;
  const router = (await call('POST', '/v2.0/routers', { router: { name: `xr-${n}` } })).body.router;
  const plugged = await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, {
    subnet_id: subnet.id,
  });
  assert.equal(plugged.status, 200, plugged.text);
  return { routerId: router.id as string, subnetId: subnet.id as string };
}

describe('router extra routes', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member']);
  });
  after(async () => {
    await api.close();
  });

  it('replaces the routes with PUT and shows them on the router', async () => {
    const { routerId } = await routedRouter(41);
    const routes = [
      { destination: '192.168.0.0/16', nexthop: '10.41.0.5' },
      { destination: '0.0.0.0/0', nexthop: '10.41.0.6' },
    ];
    const put = await call('PUT', `/v2.0/routers/${routerId}`, { router: { routes } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.router.routes, routes);
    assert.deepEqual((await call('GET', `/v2.0/routers/${routerId}`)).body.router.routes, routes);
    const cleared = await call('PUT', `/v2.0/routers/${routerId}`, { router: { routes: null } });
    assert.deepEqual(cleared.body.router.routes, []);
  });

  it('refuses a nexthop off the router or on its own address with 400 InvalidRoutes, changing nothing', async () => {
    const { routerId } = await routedRouter(42);
    const offLink = await call('PUT', `/v2.0/routers/${routerId}`, {
      router: { routes: [{ destination: '192.168.1.0/24', nexthop: '10.99.0.5' }] },
    });
    assert.equal(offLink.status, 400);
    assert.deepEqual(neutronError(offLink.text), {
      type: 'InvalidRoutes',
      message:
        "Invalid format for routes: [{'destination': '192.168.1.0/24', 'nexthop': '10.99.0.5'}], the nexthop is not connected with router",
      detail: '',
    });
    const own = await call('PUT', `/v2.0/routers/${routerId}`, {
      router: { routes: [{ destination: '192.168.1.0/24', nexthop: '10.42.0.1' }] },
    });
    assert.equal(own.status, 400);
    assert.match(neutronError(own.text).message, /, the nexthop is used by router$/);
    assert.deepEqual((await call('GET', `/v2.0/routers/${routerId}`)).body.router.routes, []);
  });

  it("refuses malformed routes with neutron-lib's reasons and routes on POST", async () => {
    const { routerId } = await routedRouter(43);
    const reasons: [unknown, string][] = [
      ['x', "Invalid data format for hostroute: 'x'"],
      [
        [{ destination: '10.1.0.0/16' }],
        "Validation of dictionary's keys failed. Expected keys: {'destination', 'nexthop'} Provided keys: {'destination'}",
      ],
      [[{ destination: '10.1.0.1/16', nexthop: '10.43.0.5' }], "'10.1.0.1/16' is not a valid CIDR"],
      [[{ destination: '127.0.0.0/8', nexthop: '10.43.0.5' }], "'127.0.0.0/8' is not a routable CIDR"],
      [[{ destination: '10.1.0.0/16', nexthop: 'gw' }], "'gw' is not a valid IP address"],
      [
        [
          { destination: '10.1.0.0/16', nexthop: '10.43.0.5' },
          { destination: '10.1.0.0/16', nexthop: '10.43.0.5' },
        ],
        "Duplicate hostroute '{'destination': '10.1.0.0/16', 'nexthop': '10.43.0.5'}'",
      ],
    ];
    for (const [routes, reason] of reasons) {
      const refused = await call('PUT', `/v2.0/routers/${routerId}`, { router: { routes } });
      assert.equal(refused.status, 400, JSON.stringify(routes));
      assert.equal(neutronError(refused.text).message, `Invalid input for routes. Reason: ${reason}.`);
    }
    const post = await call('POST', '/v2.0/routers', { router: { routes: [] } });
    assert.equal(post.status, 400);
    assert.equal(neutronError(post.text).message, "Attribute 'routes' not allowed in POST");
  });

  it('adds and removes routes atomically with add_extraroutes / remove_extraroutes', async () => {
    const { routerId } = await routedRouter(44);
    const a = { destination: '192.168.0.0/24', nexthop: '10.44.0.5' };
    const b = { destination: '192.168.0.0/24', nexthop: '10.44.0.6' };
    const c = { destination: '172.16.0.0/12', nexthop: '10.44.0.5' };
    const added = await call('PUT', `/v2.0/routers/${routerId}/add_extraroutes`, {
      router: { routes: [a, c] },
    });
    assert.equal(added.status, 200, added.text);
    assert.equal(added.body.router.id, routerId);
    assert.deepEqual(added.body.router.routes, [a, c]);
    const again = await call('PUT', `/v2.0/routers/${routerId}/add_extraroutes`, {
      router: { routes: [a, b] },
    });
    assert.deepEqual(again.body.router.routes, [a, b, c]);
    const removed = await call('PUT', `/v2.0/routers/${routerId}/remove_extraroutes`, {
      router: { routes: [a, { destination: '10.200.0.0/16', nexthop: '10.44.0.9' }] },
    });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.body.router.routes, [b, c]);
    const bad = await call('PUT', `/v2.0/routers/${routerId}/add_extraroutes`, {
      router: { routes: [{ destination: '10.7.0.0/16', nexthop: '10.98.0.1' }] },
    });
    assert.equal(bad.status, 400);
    assert.equal(neutronError(bad.text).type, 'InvalidRoutes');
    assert.deepEqual((await call('GET', `/v2.0/routers/${routerId}`)).body.router.routes, [b, c]);
  });

  it('keeps an interface a route needs: 409 RouterInterfaceInUseByRoute', async () => {
    const { routerId, subnetId } = await routedRouter(45);
    await call('PUT', `/v2.0/routers/${routerId}`, {
      router: { routes: [{ destination: '192.168.5.0/24', nexthop: '10.45.0.7' }] },
    });
    const refused = await call('PUT', `/v2.0/routers/${routerId}/remove_router_interface`, {
      subnet_id: subnetId,
    });
    assert.equal(refused.status, 409);
    assert.deepEqual(neutronError(refused.text), {
      type: 'RouterInterfaceInUseByRoute',
      message: `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
      detail: '',
    });
    await call('PUT', `/v2.0/routers/${routerId}`, { router: { routes: [] } });
    const removed = await call('PUT', `/v2.0/routers/${routerId}/remove_router_interface`, {
      subnet_id: subnetId,
    });
    assert.equal(removed.status, 200, removed.text);
  });

  it('merges exact duplicates on add and ignores missing routes on remove', () => {
    const a = { destination: '10.0.0.0/8', nexthop: '1.1.1.1' };
    const b = { destination: '10.0.0.0/8', nexthop: '1.1.1.2' };
    assert.deepEqual(addExtraRoutes([a], [a, b]), [a, b]);
    assert.deepEqual(removeExtraRoutes([a, b], [b, { destination: '11.0.0.0/8', nexthop: '1.1.1.1' }]), [a]);
  });
});
