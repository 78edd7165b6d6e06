// registerListRoute on a real Fastify app with the real auth hook, fault renderer and `advanced` RBAC policy:
// the scope each kind of list gets, the answer's keys, paging links, filters and the order of 404 and 403.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authContext, buildFakeAuthApp, type FakeAuthApp } from '../../../test/helpers/fake-auth-app.ts';
import { assertFault } from '../../../test/helpers/octavia-fault.ts';
import { fail } from '../../errors.ts';
import { openStore, type Store } from '../../store/database.ts';
import type { WireObject } from '../wire/listing.ts';
import { type ListRequest, registerListRoute } from './list-route.ts';
import { octaviaRbac } from './rbac.ts';

const FORBIDDEN = 'Policy does not allow this request to be performed.';
const INVALID = 'One or more arguments are either duplicate or invalid';
const ROWS: readonly WireObject[] = [
  { id: 'a1', project_id: 'p1', name: 'one', created_at: '2026-01-01T00:00:01' },
  { id: 'a2', project_id: 'p1', name: 'two', created_at: '2026-01-01T00:00:02' },
  { id: 'b1', project_id: 'p2', name: 'three', created_at: '2026-01-01T00:00:03' },
];
const ATTRIBUTES = ['id', 'project_id', 'name', 'created_at'];
const FILTERS = { id: 'id', project_id: 'project_id', name: 'name' };
const PARENTS = [
  { id: 'parent-1', projectId: 'p1' },
  { id: 'parent-2', projectId: 'p2' },
];

let store: Store;
let api: FakeAuthApp;
/** what each `rows` was last handed: the project scope, the request's query, the parent */
const seen: { projectId?: string; query?: unknown; parent?: string } = {};

const ids = (body: Record<string, unknown>, key: string) => (body[key] as WireObject[]).map((r) => r.id);

describe('registerListRoute', () => {
  before(async () => {
    store = await openStore('sqlite::memory:');
    api = await buildFakeAuthApp({
      store,
      tokens: {
        member1: authContext({ userId: 'u1', projectId: 'p1', roles: ['load-balancer_member'] }),
        member2: authContext({ userId: 'u2', projectId: 'p2', roles: ['load-balancer_member'] }),
        admin: authContext({ userId: 'root', projectId: 'p0', roles: ['admin'] }),
      },
      register: async (app, context) => {
        const rbac = octaviaRbac(context.config);
        registerListRoute(app, rbac, {
          path: '/owned',
          collection: 'things',
          object: 'listener',
          scope: 'project',
          rows: async (projectId) => {
            seen.projectId = projectId;
            return ROWS.filter((r) => projectId === undefined || r.project_id === projectId);
          },
          attributes: ATTRIBUTES,
          filters: FILTERS,
        });
        registerListRoute(app, rbac, {
          path: '/catalogue',
          collection: 'profiles',
          links: 'profile_links',
          object: 'flavor-profile',
          scope: 'caller',
          rows: async (request) => {
            seen.query = request.query;
            return [...ROWS];
          },
          attributes: ATTRIBUTES,
          filters: { id: 'id' },
          reserved: ['project_id'],
        });
        registerListRoute(app, rbac, {
          path: '/parents/:parent_id/children',
          collection: 'children',
          object: 'member',
          scope: 'parent',
          parent: async (request: ListRequest<{ parent_id: string }>) => {
            const parent = PARENTS.find((p) => p.id === request.params.parent_id);
            if (!parent)
              throw fail('octavia.not-found', { resource: 'Parent', id: request.params.parent_id });
            return parent;
          },
          parentKey: 'parent_id',
          rows: async (parent) => {
            seen.parent = parent.id;
            return ROWS.filter((r) => r.project_id === parent.projectId);
          },
          attributes: ATTRIBUTES,
          filters: FILTERS,
        });
      },
    });
  });
  after(async () => {
    await api.app.close();
    await store.close();
  });

  it("lists only the caller's project, in the collection key and its `_links` key", async () => {
    const response = await api.call('GET', '/owned', 'member1');
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['things', 'things_links']);
    assert.deepEqual(ids(body, 'things'), ['a1', 'a2']);
    assert.equal(seen.projectId, 'p1');
  });

  it('refuses a project_id of another project to a member and grants every project to an admin', async () => {
    assertFault(await api.call('GET', '/owned?project_id=p2', 'member1'), 403, FORBIDDEN);
    assert.deepEqual(ids((await api.call('GET', '/owned', 'admin')).json(), 'things'), ['a1', 'a2', 'b1']);
    assert.equal(seen.projectId, undefined);
    assert.deepEqual(ids((await api.call('GET', '/owned?project_id=p2', 'admin')).json(), 'things'), ['b1']);
  });

  it('filters, pages with links from the request URL and projects fields', async () => {
    assert.deepEqual(ids((await api.call('GET', '/owned?name=two', 'member1')).json(), 'things'), ['a2']);
    assertFault(await api.call('GET', '/owned?colour=red', 'member1'), 400, INVALID);
    const page = (await api.call('GET', '/owned?limit=1&fields=id', 'member1')).json();
    assert.deepEqual(page.things, [{ id: 'a1' }]);
    assert.equal(page.things_links.length, 1);
    const next = new URL(page.things_links[0].href);
    assert.deepEqual(
      [page.things_links[0].rel, next.pathname, next.searchParams.get('marker')],
      ['next', '/owned', 'a1'],
    );
  });

  it("checks the policy on the caller's project and names the links key as told", async () => {
    assertFault(await api.call('GET', '/catalogue', 'member1'), 403, FORBIDDEN);
    const body = (await api.call('GET', '/catalogue?project_id=p9', 'admin')).json();
    assert.deepEqual(Object.keys(body), ['profiles', 'profile_links']);
    assert.deepEqual(ids(body, 'profiles'), ['a1', 'a2', 'b1']);
    // a reserved parameter is the rows' to read, not a filter
    assert.deepEqual({ ...(seen.query as object) }, { project_id: 'p9' });
  });

  it("answers 404 for a missing parent before the policy, then checks the parent's project", async () => {
    const missing = await api.call('GET', '/parents/nope/children', 'member2');
    assertFault(missing, 404, 'Parent nope not found.');
    assertFault(await api.call('GET', '/parents/parent-1/children', 'member2'), 403, FORBIDDEN);
    const body = (await api.call('GET', '/parents/parent-1/children', 'member1')).json();
    assert.deepEqual(Object.keys(body), ['children', 'children_links']);
    assert.deepEqual(ids(body, 'children'), ['a1', 'a2']);
    assert.equal(seen.parent, 'parent-1');
  });

  it("matches every row on the parent's id filter and none on another id", async () => {
    const url = '/parents/parent-1/children';
    assert.deepEqual(
      ids((await api.call('GET', `${url}?parent_id=parent-1`, 'member1')).json(), 'children'),
      ['a1', 'a2'],
    );
    assert.deepEqual(
      ids((await api.call('GET', `${url}?parent_id=parent-2`, 'member1')).json(), 'children'),
      [],
    );
  });
});
