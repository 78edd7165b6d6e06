// Behaviour of the Keystone token and discovery routes: password and token authentication, the three scopes,
// the exact token body, validation, revocation, and the version documents.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildKeystoneTestApp,
  KEYSTONE_ADMIN_PASSWORD,
  type KeystoneTestApp,
  TEST_PUBLIC_URL,
} from '../../../test/helpers/keystone-test-app.ts';

const EXPIRY = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('Keystone tokens', () => {
  let k: KeystoneTestApp;
  before(async () => {
    k = await buildKeystoneTestApp();
  });
  after(() => k.close());

  test('issues a project-scoped token with 201, X-Subject-Token and the body of §1.2', async () => {
    const response = await k.login('admin', KEYSTONE_ADMIN_PASSWORD, { project: 'admin' });
    assert.equal(response.statusCode, 201);
    assert.match(String(response.headers['x-subject-token']), /^[A-Za-z0-9_-]{43}$/);
    const { token } = response.json();
    assert.deepEqual(token.methods, ['password']);
    assert.match(token.expires_at, EXPIRY);
    assert.match(token.issued_at, EXPIRY);
    assert.deepEqual(token.user, {
      id: k.adminUserId,
      name: 'admin',
      domain: { id: 'default', name: 'Default' },
      password_expires_at: null,
    });
    assert.deepEqual(token.project, {
      id: k.adminProjectId,
      name: 'admin',
      domain: { id: 'default', name: 'Default' },
    });
    assert.deepEqual(
      token.roles.map((role: { name: string }) => role.name),
      ['admin'],
    );
    assert.equal(token.system, undefined);
    const expiresIn = Date.parse(token.expires_at) - Date.parse(token.issued_at);
    assert.equal(expiresIn, 3600 * 1000);
  });

  test('lists identity, load-balancer, network and compute in the catalog on all three interfaces', async () => {
    const { token } = (await k.login('admin', KEYSTONE_ADMIN_PASSWORD)).json();
    const byType = new Map(token.catalog.map((entry: { type: string }) => [entry.type, entry]));
    const expected = {
      identity: ['keystone', `${TEST_PUBLIC_URL}/identity`],
      'load-balancer': ['octavia', `${TEST_PUBLIC_URL}/load-balancer`],
      network: ['neutron', `${TEST_PUBLIC_URL}/networking`],
      compute: ['nova', `${TEST_PUBLIC_URL}/compute/v2.1`],
      'key-manager': ['barbican', `${TEST_PUBLIC_URL}/key-manager`],
    };
    assert.equal(token.catalog.length, 5);
    for (const [type, [name, url]] of Object.entries(expected)) {
      const entry = byType.get(type) as { name: string; id: string; endpoints: Record<string, string>[] };
      assert.equal(entry.name, name);
      assert.match(entry.id, /^[0-9a-f]{32}$/);
      assert.deepEqual(entry.endpoints.map((e) => e.interface).sort(), ['admin', 'internal', 'public']);
      for (const endpoint of entry.endpoints) {
        assert.equal(endpoint.url, url);
        assert.equal(endpoint.region, 'RegionOne');
        assert.equal(endpoint.region_id, 'RegionOne');
      }
    }
  });

  test('issues a system-scoped token to a user with a system role', async () => {
    const response = await k.login('admin', KEYSTONE_ADMIN_PASSWORD, 'system');
    assert.equal(response.statusCode, 201);
    const { token } = response.json();
    assert.deepEqual(token.system, { all: true });
    assert.equal(token.project, undefined);
    assert.equal(token.catalog.length, 5);
    const ctx = await k.identity.validateToken(response.headers['x-subject-token'] as string);
    assert.equal(ctx?.systemScope, true);
    assert.deepEqual(ctx?.roles, ['admin']);
  });

  test('issues an unscoped token without project, roles or catalog', async () => {
    const response = await k.login('admin', KEYSTONE_ADMIN_PASSWORD, 'unscoped');
    assert.equal(response.statusCode, 201);
    const { token } = response.json();
    assert.equal(token.project, undefined);
    assert.equal(token.roles, undefined);
    assert.equal(token.catalog, undefined);
  });

  test('rejects a wrong password with 401 and a Keystone error body', async () => {
    const response = await k.login('admin', 'not-the-password');
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
  });

  test('rejects an unknown user and an unknown project with 401', async () => {
    assert.equal((await k.login('nobody', 'x')).statusCode, 401);
    assert.equal((await k.login('admin', KEYSTONE_ADMIN_PASSWORD, { project: 'nope' })).statusCode, 401);
  });

  test('rejects a body without auth.identity.methods with 400', async () => {
    const response = await k.call('POST', '/v3/auth/tokens', undefined, { auth: { identity: {} } });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 400);
  });

  test('re-scopes an unscoped token with the token method, keeping its expiry', async () => {
    const first = await k.login('admin', KEYSTONE_ADMIN_PASSWORD, 'unscoped');
    const unscoped = first.headers['x-subject-token'] as string;
    const response = await k.call('POST', '/identity/v3/auth/tokens', undefined, {
      auth: {
        identity: { methods: ['token'], token: { id: unscoped } },
        scope: { project: { id: k.adminProjectId } },
      },
    });
    assert.equal(response.statusCode, 201);
    const { token } = response.json();
    assert.equal(token.project.id, k.adminProjectId);
    assert.deepEqual([...token.methods].sort(), ['password', 'token']);
    assert.equal(token.expires_at, first.json().token.expires_at);
  });

  test('validates a token with GET and HEAD and answers 404 for an unknown one', async () => {
    const admin = await k.adminToken();
    const subject = await k.adminToken('system');
    const headers = { 'x-auth-token': admin, 'x-subject-token': subject };
    const got = await k.app.inject({ method: 'GET', url: '/v3/auth/tokens', headers });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json().token.system, { all: true });
    assert.equal(got.headers['x-subject-token'], subject);
    const head = await k.app.inject({ method: 'HEAD', url: '/v3/auth/tokens', headers });
    assert.equal(head.statusCode, 200);
    const unknown = { 'x-auth-token': admin, 'x-subject-token': 'not-a-token' };
    assert.equal(
      (await k.app.inject({ method: 'HEAD', url: '/v3/auth/tokens', headers: unknown })).statusCode,
      404,
    );
    assert.equal(
      (await k.app.inject({ method: 'GET', url: '/v3/auth/tokens', headers: unknown })).statusCode,
      404,
    );
  });

  test('revokes a token with DELETE, after which it no longer authenticates', async () => {
    const admin = await k.adminToken();
    const victim = await k.adminToken();
    const headers = { 'x-auth-token': admin, 'x-subject-token': victim };
    assert.equal((await k.app.inject({ method: 'DELETE', url: '/v3/auth/tokens', headers })).statusCode, 204);
    assert.equal(await k.identity.validateToken(victim), null);
    assert.equal((await k.call('GET', '/v3/auth/projects', victim)).statusCode, 401);
    assert.equal((await k.app.inject({ method: 'DELETE', url: '/v3/auth/tokens', headers })).statusCode, 404);
  });

  test('forbids a non-admin to validate somebody else’s token, but not its own', async () => {
    const admin = await k.adminToken();
    const user = (
      await k.call('POST', '/v3/users', admin, { user: { name: 'tok-user', password: 'pw' } })
    ).json().user;
    const roles = (await k.call('GET', '/v3/roles?name=member', admin)).json().roles;
    await k.call('PUT', `/v3/projects/${k.adminProjectId}/users/${user.id}/roles/${roles[0].id}`, admin);
    const own = await k.token('tok-user', 'pw');
    const check = (subject: string) =>
      k.app.inject({
        method: 'GET',
        url: '/v3/auth/tokens',
        headers: { 'x-auth-token': own, 'x-subject-token': subject },
      });
    assert.equal((await check(own)).statusCode, 200);
    const other = await check(admin);
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.title, 'Forbidden');
  });

  test('lists the projects and the system scope the caller may ask for', async () => {
    const unscoped = await k.adminToken('unscoped');
    const projects = (await k.call('GET', '/v3/auth/projects', unscoped)).json();
    assert.deepEqual(
      projects.projects.map((p: { name: string }) => p.name),
      ['admin'],
    );
    assert.equal(projects.links.next, null);
    assert.deepEqual((await k.call('GET', '/identity/v3/auth/system', unscoped)).json().system, [
      { all: true },
    ]);
  });

  test('answers 401 with WWW-Authenticate to a request without a token', async () => {
    const response = await k.call('GET', '/v3/projects');
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['www-authenticate'], `Keystone uri="${TEST_PUBLIC_URL}/identity"`);
  });
});

describe('Keystone discovery', () => {
  let k: KeystoneTestApp;
  before(async () => {
    k = await buildKeystoneTestApp();
  });
  after(() => k.close());

  test('answers the v3 document at /v3 without a token', async () => {
    const response = await k.call('GET', '/v3');
    assert.equal(response.statusCode, 200);
    const { version } = response.json();
    assert.equal(version.id, 'v3.14');
    assert.equal(version.status, 'stable');
    assert.deepEqual(version.links, [{ rel: 'self', href: `${TEST_PUBLIC_URL}/v3/` }]);
    assert.equal(version['media-types'][0].type, 'application/vnd.openstack.identity-v3+json');
    assert.equal((await k.call('GET', '/v3/')).statusCode, 200);
  });

  test('answers the versions list at /identity and /identity/', async () => {
    for (const url of ['/identity', '/identity/']) {
      const response = await k.call('GET', url);
      assert.equal(response.statusCode, 200);
      const { values } = response.json().versions;
      assert.equal(values.length, 1);
      assert.equal(values[0].links[0].href, `${TEST_PUBLIC_URL}/identity/v3/`);
    }
    assert.equal((await k.call('GET', '/identity/v3')).json().version.id, 'v3.14');
  });
});
