// Behaviour of the Keystone project and domain routes: CRUD for admins, 409 on duplicate names, list
// filters, and what a non-admin may see.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildKeystoneTestApp,
  type KeystoneTestApp,
  TEST_PUBLIC_URL,
} from '../../../test/helpers/keystone-test-app.ts';

describe('Keystone projects and domains', () => {
  let k: KeystoneTestApp;
  let admin: string;
  before(async () => {
    k = await buildKeystoneTestApp();
    admin = await k.adminToken();
  });
  after(() => k.close());

  /** A user holding `member` on a fresh project, and its token there. */
  async function memberOfNewProject(name: string): Promise<{ token: string; projectId: string }> {
    const projectId = (await k.call('POST', '/v3/projects', admin, { project: { name } })).json().project.id;
    const user = (
      await k.call('POST', '/v3/users', admin, { user: { name: `${name}-user`, password: 'pw' } })
    ).json().user;
    const member = (await k.call('GET', '/v3/roles?name=member', admin)).json().roles[0];
    await k.call('PUT', `/v3/projects/${projectId}/users/${user.id}/roles/${member.id}`, admin);
    return { token: await k.token(`${name}-user`, 'pw', { project: name }), projectId };
  }

  test('creates a project with 201 and Keystone’s fields, then shows it', async () => {
    const created = await k.call('POST', '/v3/projects', admin, {
      project: { name: 'web', description: 'front ends', domain_id: 'default', tags: ['a'] },
    });
    assert.equal(created.statusCode, 201);
    const { project } = created.json();
    assert.match(project.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(project, {
      id: project.id,
      name: 'web',
      description: 'front ends',
      domain_id: 'default',
      enabled: true,
      parent_id: 'default',
      is_domain: false,
      tags: ['a'],
      links: { self: `${TEST_PUBLIC_URL}/v3/projects/${project.id}` },
    });
    const shown = await k.call('GET', `/identity/v3/projects/${project.id}`, admin);
    assert.equal(shown.statusCode, 200);
    assert.equal(shown.json().project.links.self, `${TEST_PUBLIC_URL}/identity/v3/projects/${project.id}`);
  });

  test('answers 409 to a second project with the same name in the domain', async () => {
    await k.call('POST', '/v3/projects', admin, { project: { name: 'twice' } });
    const response = await k.call('POST', '/v3/projects', admin, { project: { name: 'twice' } });
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().error.title, 'Conflict');
  });

  test('rejects a project without a name, or with a non-boolean enabled, with 400', async () => {
    assert.equal((await k.call('POST', '/v3/projects', admin, { project: {} })).statusCode, 400);
    const bad = await k.call('POST', '/v3/projects', admin, { project: { name: 'x', enabled: 'yes' } });
    assert.equal(bad.statusCode, 400);
    assert.equal((await k.call('POST', '/v3/projects', admin, '{"project": ')).statusCode, 400);
    const nul = await k.call('POST', '/v3/projects', admin, { project: { name: 'a\u0000b' } });
    assert.equal(nul.statusCode, 400);
    assert.deepEqual(nul.json(), {
      error: {
        code: 400,
        title: 'Bad Request',
        message: `Invalid input for field 'name': "a\\u0000b" contains a NUL character`,
      },
    });
  });

  test('filters the project list by name and enabled, with the links envelope', async () => {
    const created = (
      await k.call('POST', '/v3/projects', admin, { project: { name: 'off', enabled: false } })
    ).json();
    const byName = (await k.call('GET', '/v3/projects?name=off', admin)).json();
    assert.deepEqual(
      byName.projects.map((p: { id: string }) => p.id),
      [created.project.id],
    );
    assert.deepEqual(byName.links, {
      self: `${TEST_PUBLIC_URL}/v3/projects?name=off`,
      previous: null,
      next: null,
    });
    const disabled = (await k.call('GET', '/v3/projects?enabled=false', admin)).json().projects;
    assert.ok(disabled.every((p: { enabled: boolean }) => p.enabled === false));
    assert.ok(disabled.length >= 1);
  });

  test('updates a project with PATCH and answers 409 when renaming onto another name', async () => {
    const { project } = (
      await k.call('POST', '/v3/projects', admin, { project: { name: 'rename-me' } })
    ).json();
    const patched = await k.call('PATCH', `/v3/projects/${project.id}`, admin, {
      project: { name: 'renamed', enabled: false, description: 'd' },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().project.name, 'renamed');
    assert.equal(patched.json().project.enabled, false);
    const clash = await k.call('PATCH', `/v3/projects/${project.id}`, admin, { project: { name: 'admin' } });
    assert.equal(clash.statusCode, 409);
  });

  test('deletes a project with 204, after which it answers 404', async () => {
    const { project } = (await k.call('POST', '/v3/projects', admin, { project: { name: 'doomed' } })).json();
    assert.equal((await k.call('DELETE', `/v3/projects/${project.id}`, admin)).statusCode, 204);
    const gone = await k.call('GET', `/v3/projects/${project.id}`, admin);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.message, `Could not find project: ${project.id}.`);
  });

  test('forbids a non-admin to list, create, update or delete projects with 403', async () => {
    const { token, projectId } = await memberOfNewProject('plain');
    const denied = await k.call('POST', '/v3/projects', token, { project: { name: 'mine' } });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(denied.json().error, {
      code: 403,
      title: 'Forbidden',
      message: 'You are not authorized to perform the requested action: identity:create_project.',
    });
    assert.equal((await k.call('GET', '/v3/projects', token)).statusCode, 403);
    assert.equal(
      (await k.call('PATCH', `/v3/projects/${projectId}`, token, { project: {} })).statusCode,
      403,
    );
    assert.equal((await k.call('DELETE', `/v3/projects/${projectId}`, token)).statusCode, 403);
  });

  test('lets a non-admin show its own project but not another one', async () => {
    const { token, projectId } = await memberOfNewProject('own');
    assert.equal((await k.call('GET', `/v3/projects/${projectId}`, token)).statusCode, 200);
    assert.equal((await k.call('GET', `/v3/projects/${k.adminProjectId}`, token)).statusCode, 403);
  });

  test('lists the Default domain by name and shows it by id', async () => {
    const list = (await k.call('GET', '/v3/domains?name=Default', admin)).json();
    assert.deepEqual(
      list.domains.map((d: { id: string; name: string }) => [d.id, d.name]),
      [['default', 'Default']],
    );
    const shown = await k.call('GET', '/v3/domains/default', admin);
    assert.equal(shown.json().domain.enabled, true);
    assert.equal((await k.call('GET', '/v3/domains/nope', admin)).statusCode, 404);
  });
});
