// Behaviour of the Keystone role, grant and role-assignment routes: case-insensitive role names, project and
// system grants (PUT/HEAD/DELETE), the role_assignments filters, and 403 for non-admins.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildKeystoneTestApp,
  type KeystoneTestApp,
  TEST_PUBLIC_URL,
} from '../../../test/helpers/keystone-test-app.ts';

type Assignment = { role: { id: string }; user: { id: string }; scope: Record<string, unknown> };

describe('Keystone roles, grants and role assignments', () => {
  let k: KeystoneTestApp;
  let admin: string;
  let adminRoleId: string;
  let userId: string;
  let projectId: string;
  let observerRoleId: string;
  before(async () => {
    k = await buildKeystoneTestApp();
    admin = await k.adminToken();
    const roles = (await k.call('GET', '/v3/roles', admin)).json().roles as { id: string; name: string }[];
    adminRoleId = roles.find((role) => role.name === 'admin')?.id ?? '';
    observerRoleId = roles.find((role) => role.name === 'load-balancer_observer')?.id ?? '';
    userId = (await k.call('POST', '/v3/users', admin, { user: { name: 'ivan', password: 'pw' } })).json()
      .user.id;
    projectId = (await k.call('POST', '/v3/projects', admin, { project: { name: 'grants' } })).json().project
      .id;
  });
  after(() => k.close());

  test('lists the nine bootstrap roles with domain_id null', async () => {
    const roles = (await k.call('GET', '/v3/roles', admin)).json().roles;
    assert.equal(roles.length, 9);
    assert.ok(roles.every((role: { domain_id: unknown }) => role.domain_id === null));
  });

  test('creates a role with 201 and answers 409 to the same name in another case', async () => {
    const created = await k.call('POST', '/v3/roles', admin, { role: { name: 'Creator' } });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().role.name, 'Creator');
    assert.equal((await k.call('GET', `/v3/roles/${created.json().role.id}`, admin)).statusCode, 200);
    assert.equal((await k.call('POST', '/v3/roles', admin, { role: { name: 'creator' } })).statusCode, 409);
  });

  test('grants a project role with PUT 204, checks it with HEAD, revokes it with DELETE', async () => {
    const url = `/v3/projects/${projectId}/users/${userId}/roles/${observerRoleId}`;
    assert.equal((await k.call('HEAD', url, admin)).statusCode, 404);
    assert.equal((await k.call('PUT', url, admin)).statusCode, 204);
    assert.equal((await k.call('PUT', url, admin)).statusCode, 204);
    assert.equal((await k.call('HEAD', url, admin)).statusCode, 204);
    const token = (await k.login('ivan', 'pw', { project: 'grants' })).json().token;
    assert.deepEqual(
      token.roles.map((role: { name: string }) => role.name),
      ['load-balancer_observer'],
    );
    const listed = (await k.call('GET', `/v3/projects/${projectId}/users/${userId}/roles`, admin)).json()
      .roles;
    assert.equal(listed.length, 1);
    assert.equal((await k.call('DELETE', url, admin)).statusCode, 204);
    assert.equal((await k.call('DELETE', url, admin)).statusCode, 404);
    assert.equal((await k.login('ivan', 'pw', { project: 'grants' })).statusCode, 401);
  });

  test('answers 404 to a grant naming an unknown project, user or role', async () => {
    const unknown = 'f'.repeat(32);
    assert.equal(
      (await k.call('PUT', `/v3/projects/${unknown}/users/${userId}/roles/${observerRoleId}`, admin))
        .statusCode,
      404,
    );
    assert.equal(
      (await k.call('PUT', `/v3/projects/${projectId}/users/${unknown}/roles/${observerRoleId}`, admin))
        .statusCode,
      404,
    );
    const role = await k.call('PUT', `/v3/projects/${projectId}/users/${userId}/roles/${unknown}`, admin);
    assert.equal(role.statusCode, 404);
    assert.equal(role.json().error.message, `Could not find role: ${unknown}.`);
  });

  test('grants a system role, which allows a system-scoped token', async () => {
    const url = `/identity/v3/system/users/${userId}/roles/${adminRoleId}`;
    assert.equal((await k.login('ivan', 'pw', 'system')).statusCode, 401);
    assert.equal((await k.call('PUT', url, admin)).statusCode, 204);
    assert.equal((await k.call('HEAD', url, admin)).statusCode, 204);
    assert.equal((await k.login('ivan', 'pw', 'system')).statusCode, 201);
    assert.equal((await k.call('DELETE', url, admin)).statusCode, 204);
    assert.equal((await k.login('ivan', 'pw', 'system')).statusCode, 401);
  });

  test('filters role assignments by user, project and system scope', async () => {
    const grant = `/v3/projects/${projectId}/users/${userId}/roles/${observerRoleId}`;
    await k.call('PUT', grant, admin);
    const list = async (query: string): Promise<Assignment[]> => {
      const response = await k.call('GET', `/v3/role_assignments?${query}`, admin);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().role_assignments;
    };
    const mine = await list(`user.id=${userId}`);
    assert.deepEqual(mine, [
      {
        role: { id: observerRoleId },
        user: { id: userId },
        scope: { project: { id: projectId } },
        links: { assignment: `${TEST_PUBLIC_URL}${grant}` },
      },
    ]);
    const adminSystem = await list(`user.id=${k.adminUserId}&scope.system=all`);
    assert.deepEqual(
      adminSystem.map((a) => a.scope),
      [{ system: { all: true } }],
    );
    const onProject = await list(`project.id=${k.adminProjectId}`);
    assert.deepEqual(
      onProject.map((a) => [a.user.id, a.role.id]),
      [[k.adminUserId, adminRoleId]],
    );
    assert.equal((await list(`scope.project.id=${projectId}&role.id=${adminRoleId}`)).length, 0);
    const named = await list(`user.id=${userId}&include_names=true`);
    assert.deepEqual(named[0].scope, {
      project: { id: projectId, name: 'grants', domain: { id: 'default', name: 'Default' } },
    });
    assert.deepEqual(named[0].role, { id: observerRoleId, name: 'load-balancer_observer' });
  });

  test('forbids a non-admin to manage roles and grants with 403, but lets it list its own assignments', async () => {
    await k.call('PUT', `/v3/projects/${projectId}/users/${userId}/roles/${observerRoleId}`, admin);
    const token = await k.token('ivan', 'pw', { project: 'grants' });
    assert.equal((await k.call('POST', '/v3/roles', token, { role: { name: 'sneaky' } })).statusCode, 403);
    assert.equal((await k.call('GET', '/v3/roles', token)).statusCode, 403);
    const selfGrant = `/v3/projects/${projectId}/users/${userId}/roles/${adminRoleId}`;
    assert.equal((await k.call('PUT', selfGrant, token)).statusCode, 403);
    assert.equal(
      (await k.call('PUT', `/v3/system/users/${userId}/roles/${adminRoleId}`, token)).statusCode,
      403,
    );
    assert.equal((await k.call('GET', '/v3/role_assignments', token)).statusCode, 403);
    assert.equal((await k.call('GET', `/v3/role_assignments?user.id=${userId}`, token)).statusCode, 200);
  });

  test('deletes a role with its grants', async () => {
    const role = (await k.call('POST', '/v3/roles', admin, { role: { name: 'temporary' } })).json().role;
    await k.call('PUT', `/v3/projects/${projectId}/users/${userId}/roles/${role.id}`, admin);
    assert.equal((await k.call('DELETE', `/v3/roles/${role.id}`, admin)).statusCode, 204);
    const left = (await k.call('GET', `/v3/role_assignments?role.id=${role.id}`, admin)).json()
      .role_assignments;
    assert.deepEqual(left, []);
  });
});
