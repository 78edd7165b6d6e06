// Containers of the key manager as Octavia's legacy certificate path and Horizon read them: create from the
// caller's secrets with Barbican's name rules, list by type, get, consumers, ACLs, delete, and RBAC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

const BASE = 'http://127.0.0.1:9876/key-manager';

describe('key-manager containers API', () => {
  let api: TestApi;
  let member: { token: string; userId: string };
  let other: { token: string; userId: string };

  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member'], 'kmc-a');
    other = await api.userWithRoles(['member'], 'kmc-b');
  });
  after(() => api.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: { 'x-auth-token': token, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const secret = async (token: string, name: string) => {
    const response = await call('POST', '/key-manager/v1/secrets', token, {
      name,
      payload: `${name}-bytes`,
      payload_content_type: 'text/plain',
    });
    return response.json().secret_ref as string;
  };
  const fault = (response: { statusCode: number; json(): unknown }, code: number, description: string) => {
    assert.equal(response.statusCode, code);
    assert.equal((response.json() as { description: string }).description, description);
  };

  it('creates a certificate container, shows it, lists it by type and deletes it', async () => {
    const certificate = await secret(member.token, 'cert');
    const key = await secret(member.token, 'key');
    const created = await call('POST', '/key-manager/v1/containers', member.token, {
      type: 'certificate',
      name: 'tls',
      secret_refs: [
        { name: 'certificate', secret_ref: certificate },
        { name: 'private_key', secret_ref: key },
      ],
    });
    assert.equal(created.statusCode, 201);
    const ref = created.json().container_ref as string;
    assert.equal(created.headers.location, ref);
    const id = ref.split('/').pop() as string;
    assert.equal(ref, `${BASE}/v1/containers/${id}`);
    const shown = (await call('GET', `/key-manager/v1/containers/${id}`, member.token)).json();
    assert.deepEqual(shown, {
      created: shown.created,
      updated: shown.updated,
      status: 'ACTIVE',
      name: 'tls',
      type: 'certificate',
      creator_id: member.userId,
      secret_refs: [
        { name: 'certificate', secret_ref: certificate },
        { name: 'private_key', secret_ref: key },
      ],
      consumers: [],
      container_ref: ref,
    });
    await call('POST', '/key-manager/v1/containers', member.token, {
      type: 'generic',
      name: 'bag',
      secret_refs: [{ name: 'anything', secret_ref: certificate }],
    });
    const certificates = (
      await call('GET', '/key-manager/v1/containers?type=certificate', member.token)
    ).json();
    assert.deepEqual(
      certificates.containers.map((c: { name: string }) => c.name),
      ['tls'],
    );
    assert.equal(certificates.total, 1);
    assert.equal((await call('GET', '/key-manager/v1/containers', member.token)).json().total, 2);
    assert.deepEqual((await call('GET', '/key-manager/v1/containers', other.token)).json(), {
      containers: [],
      total: 0,
    });
    fault(
      await call('GET', `/key-manager/v1/containers/${id}`, other.token),
      403,
      'Container retrieval attempt not allowed - please review your user/project privileges',
    );
    // Unlike secrets, containers give `admin` of another project no access (container:get, container:delete).
    fault(
      await call('GET', `/key-manager/v1/containers/${id}`, api.adminToken),
      403,
      'Container retrieval attempt not allowed - please review your user/project privileges',
    );
    await call('PUT', `/key-manager/v1/containers/${id}/acl`, member.token, {
      read: { users: [other.userId] },
    });
    assert.equal((await call('GET', `/key-manager/v1/containers/${id}`, other.token)).statusCode, 200);
    fault(
      await call('DELETE', `/key-manager/v1/containers/${id}`, other.token),
      403,
      'Container deletion attempt not allowed - please review your user/project privileges',
    );
    assert.equal((await call('DELETE', `/key-manager/v1/containers/${id}`, member.token)).statusCode, 204);
    fault(
      await call('GET', `/key-manager/v1/containers/${id}`, member.token),
      404,
      'Secrets container not found.',
    );
    fault(
      await call('GET', '/key-manager/v1/containers/xyz', member.token),
      404,
      'Not Found. Provided container id is invalid.',
    );
  });

  it('refuses containers that break Barbican’s rules, with its messages', async () => {
    const mine = await secret(member.token, 'mine');
    const theirs = await secret(other.token, 'theirs');
    const invalid = (reason: string, property = 'secret_refs') =>
      `Provided object does not match schema 'Container': ${reason}. Invalid property: '${property}'`;
    const cases: [unknown, number, string][] = [
      [{ name: 'x' }, 400, invalid("'type' is a required property", 'None')],
      [{ type: 'bundle' }, 400, invalid("'bundle' is not one of ['generic', 'rsa', 'certificate']", 'type')],
      [
        { type: 'certificate', secret_refs: [{ name: 'private_key', secret_ref: mine }] },
        400,
        invalid("The minimum required reference name is 'certificate' for Certificate type"),
      ],
      [
        { type: 'certificate', secret_refs: [{ name: 'chain', secret_ref: mine }] },
        400,
        invalid(
          "only 'private_key', 'certificate' , 'private_key_passphrase',  or 'intermediates' reference names are allowed for Certificate type",
        ),
      ],
      [
        {
          type: 'generic',
          secret_refs: [
            { name: 'a', secret_ref: mine },
            { name: 'a', secret_ref: theirs },
          ],
        },
        400,
        invalid('Duplicate reference names are not allowed'),
      ],
      [
        {
          type: 'generic',
          secret_refs: [
            { name: 'a', secret_ref: mine },
            { name: 'b', secret_ref: mine },
          ],
        },
        400,
        invalid('Duplicate secret ids are not allowed'),
      ],
      [
        {
          type: 'certificate',
          secret_refs: [
            { name: 'certificate', secret_ref: `http://elsewhere:9311/v1/secrets/${mine.split('/').pop()}` },
          ],
        },
        400,
        'Provided field value is not supported',
      ],
      [
        { type: 'certificate', secret_refs: [{ name: 'certificate', secret_ref: theirs }] },
        404,
        "Secret provided for 'certificate' doesn't exist.",
      ],
    ];
    const count = async () => (await call('GET', '/key-manager/v1/containers', member.token)).json().total;
    const before = await count();
    for (const [body, code, description] of cases)
      fault(await call('POST', '/key-manager/v1/containers', member.token, body), code, description);
    assert.equal(await count(), before);
  });

  it('registers and removes consumers, answering with the container', async () => {
    const certificate = await secret(member.token, 'consumed');
    const ref = (
      await call('POST', '/key-manager/v1/containers', member.token, {
        type: 'certificate',
        secret_refs: [{ name: 'certificate', secret_ref: certificate }],
      })
    ).json().container_ref as string;
    const url = `/key-manager/v1/containers/${ref.split('/').pop()}/consumers`;
    const consumer = { name: 'lbaas', URL: 'http://127.0.0.1/listener/1' };
    const added = await call('POST', url, member.token, consumer);
    assert.equal(added.statusCode, 200);
    assert.deepEqual(added.json().consumers, [consumer]);
    assert.deepEqual((await call('POST', url, member.token, consumer)).json().consumers, [consumer]);
    fault(
      await call('POST', url, member.token, { name: 'lbaas' }),
      400,
      "Provided object does not match schema 'Consumer': 'URL' is a required property. Invalid property: 'None'",
    );
    const removed = await call('DELETE', url, member.token, consumer);
    assert.equal(removed.statusCode, 200);
    assert.deepEqual(removed.json().consumers, []);
    fault(await call('DELETE', url, member.token, consumer), 404, 'Consumer not found.');
  });

  it('stores and echoes a container’s ACL', async () => {
    const certificate = await secret(member.token, 'acl-cert');
    const ref = (
      await call('POST', '/key-manager/v1/containers', member.token, {
        type: 'certificate',
        secret_refs: [{ name: 'certificate', secret_ref: certificate }],
      })
    ).json().container_ref as string;
    const url = `/key-manager/v1/containers/${ref.split('/').pop()}/acl`;
    assert.deepEqual((await call('GET', url, member.token)).json(), { read: { 'project-access': true } });
    const put = await call('PUT', url, member.token, { read: { users: ['svc'], 'project-access': false } });
    assert.deepEqual(put.json(), { acl_ref: `${ref}/acl` });
    const acl = (await call('GET', url, member.token)).json();
    assert.deepEqual([acl.read.users, acl.read['project-access']], [['svc'], false]);
  });
});
