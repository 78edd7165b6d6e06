// Behaviour of the Keystone user routes: CRUD for admins with write-only passwords, 409 on duplicate names,
// self-service reads and password change, and 403 for everything else a non-admin tries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildKeystoneTestApp, type KeystoneTestApp } from '../../../test/helpers/keystone-test-app.ts';

describe('Keystone users', () => {
  let k: KeystoneTestApp;
  let admin: string;
  let memberRoleId: string;
  before(async () => {
    k = await buildKeystoneTestApp();
    admin = await k.adminToken();
    memberRoleId = (await k.call('GET', '/v3/roles?name=member', admin)).json().roles[0].id;
  });
  after(() => k.close());

  async function createUser(name: string, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
    const response = await k.call('POST', '/v3/users', admin, { user: { name, password: 'pw', ...extra } });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().user;
  }

  test('creates a user with 201 and never returns its password', async () => {
    const response = await k.call('POST', '/v3/users', admin, {
      user: {
        name: 'alice',
        password: 'pw',
        default_project_id: k.adminProjectId,
        email: 'ignored@example.com',
      },
    });
    assert.equal(response.statusCode, 201);
    const { user } = response.json();
    assert.deepEqual(Object.keys(user).sort(), [
      'default_project_id',
      'domain_id',
      'enabled',
      'id',
      'links',
      'name',
      'password_expires_at',
    ]);
    assert.equal(user.domain_id, 'default');
    assert.equal(user.default_project_id, k.adminProjectId);
    assert.equal(user.password_expires_at, null);
  });

  test('answers 409 to a second user with the same name in the domain', async () => {
    await createUser('bob');
    const response = await k.call('POST', '/v3/users', admin, { user: { name: 'bob' } });
    assert.equal(response.statusCode, 409);
    assert.match(response.json().error.message, /Duplicate entry found with name bob at domain ID default/);
  });

  test('filters the user list by name', async () => {
    const users = (await k.call('GET', '/v3/users?name=admin', admin)).json().users;
    assert.deepEqual(
      users.map((u: { id: string }) => u.id),
      [k.adminUserId],
    );
  });

  test('changes a password with PATCH, after which only the new one logs in', async () => {
    const user = await createUser('carol');
    await k.call('PUT', `/v3/projects/${k.adminProjectId}/users/${user.id}/roles/${memberRoleId}`, admin);
    const patched = await k.call('PATCH', `/v3/users/${user.id}`, admin, { user: { password: 'new' } });
    assert.equal(patched.statusCode, 200);
    assert.equal((await k.login('carol', 'pw')).statusCode, 401);
    assert.equal((await k.login('carol', 'new')).statusCode, 201);
  });

  test('disabling a user rejects its logins and ends its tokens', async () => {
    const user = await createUser('dave');
    await k.call('PUT', `/v3/projects/${k.adminProjectId}/users/${user.id}/roles/${memberRoleId}`, admin);
    const token = await k.token('dave', 'pw');
    await k.call('PATCH', `/v3/users/${user.id}`, admin, { user: { enabled: false } });
    assert.equal(await k.identity.validateToken(token), null);
    assert.equal((await k.login('dave', 'pw')).statusCode, 401);
  });

  test('deletes a user with 204, after which it answers 404', async () => {
    const user = await createUser('erin');
    assert.equal((await k.call('DELETE', `/v3/users/${user.id}`, admin)).statusCode, 204);
    assert.equal((await k.call('GET', `/v3/users/${user.id}`, admin)).statusCode, 404);
    assert.equal((await k.call('DELETE', `/v3/users/${user.id}`, admin)).statusCode, 404);
  });

  test('lets a non-admin read itself and its projects but forbids user administration with 403', async () => {
    const user = await createUser('frank');
    await k.call('PUT', `/v3/projects/${k.adminProjectId}/users/${user.id}/roles/${memberRoleId}`, admin);
    const token = await k.token('frank', 'pw');
    assert.equal((await k.call('GET', `/v3/users/${user.id}`, token)).statusCode, 200);
    const projects = (await k.call('GET', `/v3/users/${user.id}/projects`, token)).json().projects;
    assert.deepEqual(
      projects.map((p: { name: string }) => p.name),
      ['admin'],
    );
    assert.equal((await k.call('GET', `/v3/users/${k.adminUserId}`, token)).statusCode, 403);
    assert.equal((await k.call('GET', `/v3/users/${k.adminUserId}/projects`, token)).statusCode, 403);
    assert.equal((await k.call('GET', '/v3/users', token)).statusCode, 403);
    assert.equal((await k.call('POST', '/v3/users', token, { user: { name: 'x' } })).statusCode, 403);
    assert.equal(
      (await k.call('PATCH', `/v3/users/${user.id}`, token, { user: { enabled: true } })).statusCode,
      403,
    );
    assert.equal((await k.call('DELETE', `/v3/users/${k.adminUserId}`, token)).statusCode, 403);
  });

  test('lets a user change its own password only with the original one', async () => {
    const user = await createUser('grace');
    const unscoped = await k.token('grace', 'pw', 'unscoped');
    const url = `/v3/users/${user.id}/password`;
    const wrong = await k.call('POST', url, unscoped, {
      user: { original_password: 'nope', password: 'pw2' },
    });
    assert.equal(wrong.statusCode, 401);
    const right = await k.call('POST', url, unscoped, { user: { original_password: 'pw', password: 'pw2' } });
    assert.equal(right.statusCode, 204);
    assert.equal((await k.login('grace', 'pw2', 'unscoped')).statusCode, 201);
  });

  test('scopes a token without scope to the user’s default project when it holds a role there', async () => {
    const user = await createUser('heidi', { default_project_id: k.adminProjectId });
    await k.call('PUT', `/v3/projects/${k.adminProjectId}/users/${user.id}/roles/${memberRoleId}`, admin);
    const { token } = (await k.login('heidi', 'pw', 'unscoped')).json();
    assert.equal(token.project.id, k.adminProjectId);
  });
});
