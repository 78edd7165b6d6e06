// The key manager's secrets as barbicanclient and Octavia use them: version discovery in both shapes,
// create with each payload type and encoding, metadata, raw payload by Accept, the two-step PUT, paging and
// filters, Barbican's 400/404/406/409/415 bodies and messages, and RBAC between projects.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

const BASE = 'http://127.0.0.1:9876/key-manager';
const BINARY = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0, 0x0a, 0x0d]);
const LOG_MARKER = 'log-canary-7d1f0c2a9b';

describe('key-manager secrets API', () => {
  let api: TestApi;
  let log = '';
  let member: { token: string; projectId: string; userId: string };
  let other: { token: string; projectId: string; userId: string };
  let reader: { token: string; projectId: string; userId: string };

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    api = await startTestApi({ logger: pino({ level: 'trace' }, sink) });
    member = await api.userWithRoles(['member'], 'km-a');
    reader = await api.userWithRoles(['reader'], 'km-a');
    other = await api.userWithRoles(['member'], 'km-b');
  });
  after(() => api.close());

  const request = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    token: string | undefined,
    options: { json?: unknown; body?: string | Buffer; headers?: Record<string, string> } = {},
  ) =>
    api.app.inject({
      method,
      url,
      headers: {
        ...(token && { 'x-auth-token': token }),
        ...(options.json !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.json !== undefined && { payload: JSON.stringify(options.json) }),
      ...(options.body !== undefined && { payload: options.body }),
    });
  const create = async (token: string, body: Record<string, unknown>) => {
    const response = await request('POST', '/key-manager/v1/secrets', token, { json: body });
    assert.equal(response.statusCode, 201, response.body);
    return (response.json().secret_ref as string).split('/').pop() as string;
  };
  const fault = (code: number, title: string, description: string) => ({ code, title, description });
  const assertFault = (
    response: { statusCode: number; json(): unknown },
    code: number,
    title: string,
    description: string,
  ) => {
    assert.equal(response.statusCode, code);
    assert.deepEqual(response.json(), fault(code, title, description));
  };

  it('is in the catalog as barbican, type key-manager, at /key-manager', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': api.adminToken, 'x-subject-token': api.adminToken },
    });
    const entry = response.json().token.catalog.find((e: { type: string }) => e.type === 'key-manager');
    assert.equal(entry.name, 'barbican');
    assert.deepEqual(
      entry.endpoints.map((e: { url: string }) => e.url),
      [BASE, BASE, BASE],
    );
  });

  it('answers version discovery with 300 in the stable shape, and in the microversion shape above 1.0', async () => {
    const links = [
      { rel: 'self', href: `${BASE}/v1/` },
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
    ];
    const plain = await request('GET', '/key-manager', undefined);
    assert.equal(plain.statusCode, 300);
    assert.deepEqual(plain.json(), {
      versions: {
        values: [
          {
            id: 'v1',
            status: 'stable',
            links,
            'media-types': [
              { base: 'application/json', type: 'application/vnd.openstack.key-manager-v1+json' },
            ],
          },
        ],
      },
    });
    const micro = await request('GET', '/key-manager/', undefined, {
      headers: { 'OpenStack-API-Version': 'key-manager 1.1' },
    });
    assert.equal(micro.statusCode, 300);
    assert.equal(micro.headers['openstack-api-version'], 'key-manager 1.1');
    assert.deepEqual(micro.json(), {
      versions: [{ id: 'v1', status: 'CURRENT', min_version: '1.0', max_version: '1.2', links }],
    });
    const v1 = await request('GET', '/key-manager/v1', member.token, {
      headers: { 'OpenStack-API-Version': 'key-manager latest' },
    });
    assert.equal(v1.statusCode, 200);
    assert.deepEqual(v1.json(), {
      version: { id: 'v1', status: 'CURRENT', min_version: '1.0', max_version: '1.2', links },
    });
    assert.equal((await request('GET', '/key-manager/v1/secrets', undefined)).statusCode, 401);
  });

  it('stores a base64 octet-stream payload and returns the exact bytes, with metadata as Barbican shows it', async () => {
    const response = await request('POST', '/key-manager/v1/secrets', member.token, {
      json: {
        name: '  server-cert  ',
        payload: BINARY.toString('base64'),
        payload_content_type: 'application/octet-stream',
        payload_content_encoding: 'base64',
        algorithm: 'aes',
        bit_length: 256,
        mode: 'cbc',
        secret_type: 'opaque',
      },
    });
    assert.equal(response.statusCode, 201);
    const ref = response.json().secret_ref as string;
    assert.deepEqual(response.json(), { secret_ref: ref });
    assert.equal(response.headers.location, ref);
    const id = ref.split('/').pop() as string;
    assert.equal(ref, `${BASE}/v1/secrets/${id}`);

    const meta = await request('GET', `/key-manager/v1/secrets/${id}`, member.token, {
      headers: { accept: 'application/json', 'OpenStack-API-Version': 'key-manager 1.1' },
    });
    assert.equal(meta.statusCode, 200);
    const body = meta.json();
    assert.match(body.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/);
    assert.deepEqual(body, {
      created: body.created,
      updated: body.created,
      status: 'ACTIVE',
      name: 'server-cert',
      secret_type: 'opaque',
      expiration: null,
      algorithm: 'aes',
      bit_length: 256,
      mode: 'cbc',
      creator_id: member.userId,
      consumers: [],
      content_types: { default: 'application/octet-stream' },
      secret_ref: ref,
    });
    const noConsumers = await request('GET', `/key-manager/v1/secrets/${id}`, member.token);
    assert.equal('consumers' in noConsumers.json(), false);

    for (const accept of ['application/octet-stream', undefined, '*/*']) {
      const payload = await request('GET', `/key-manager/v1/secrets/${id}/payload`, member.token, {
        headers: accept ? { accept } : {},
      });
      assert.equal(payload.statusCode, 200);
      assert.equal(payload.headers['content-type'], 'application/octet-stream');
      assert.deepEqual(payload.rawPayload, BINARY);
    }
    // The deprecated form: GET on the secret with a non-JSON Accept returns the payload.
    const legacy = await request('GET', `/key-manager/v1/secrets/${id}`, member.token, {
      headers: { accept: 'application/octet-stream' },
    });
    assert.deepEqual(legacy.rawPayload, BINARY);
    assertFault(
      await request('GET', `/key-manager/v1/secrets/${id}/payload`, member.token, {
        headers: { accept: 'application/json' },
      }),
      406,
      'Not Acceptable',
      'Secret payload retrieval issue seen - Wrong payload content-type.',
    );
    // Bytes that are not UTF-8 cannot be served as text.
    assertFault(
      await request('GET', `/key-manager/v1/secrets/${id}/payload`, member.token, {
        headers: { accept: 'text/plain' },
      }),
      406,
      'Not Acceptable',
      'Secret payload retrieval issue seen - Wrong payload content-type.',
    );
  });

  it('stores text/plain payloads as UTF-8 text and application/pkcs8 as bytes', async () => {
    const text = await create(member.token, {
      payload: `pässword ${LOG_MARKER}`,
      payload_content_type: 'text/plain; charset=utf-8',
      secret_type: 'passphrase',
    });
    const meta = (await request('GET', `/key-manager/v1/secrets/${text}`, member.token)).json();
    assert.deepEqual(meta.content_types, { default: 'text/plain' });
    const payload = await request('GET', `/key-manager/v1/secrets/${text}/payload`, member.token, {
      headers: { accept: 'text/plain' },
    });
    assert.equal(payload.statusCode, 200);
    assert.equal(payload.body, `pässword ${LOG_MARKER}`);
    const key = await create(member.token, {
      payload: BINARY.toString('base64'),
      payload_content_type: 'application/pkcs8',
      payload_content_encoding: 'base64',
      secret_type: 'private',
    });
    const pkcs8 = await request('GET', `/key-manager/v1/secrets/${key}/payload`, member.token, {
      headers: { accept: 'application/pkcs8' },
    });
    assert.equal(pkcs8.headers['content-type'], 'application/pkcs8');
    assert.deepEqual(pkcs8.rawPayload, BINARY);
  });

  it('refuses bad secrets with Barbican’s 400, 413 and 415 messages and stores nothing', async () => {
    const before = (await request('GET', '/key-manager/v1/secrets?limit=100', member.token)).json().total;
    const invalid = (reason: string, property: string) =>
      `Provided object does not match schema 'Secret': ${reason}. Invalid property: '${property}'`;
    const cases: [Record<string, unknown>, string][] = [
      [
        { payload: 'abc' },
        invalid(
          "If 'payload' is supplied, 'payload_content_type' must also be supplied.",
          'payload_content_type',
        ),
      ],
      [
        { payload: 'abc', payload_content_type: 'text/html' },
        invalid(
          "payload_content_type is not one of ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/pkcs8']",
          'payload_content_type',
        ),
      ],
      [
        { payload: 'abc', payload_content_type: 'text/plain', payload_content_encoding: 'base64' },
        invalid('payload_content_encoding is not one of None', 'payload_content_encoding'),
      ],
      [
        { payload: 'abc', payload_content_type: 'application/octet-stream' },
        invalid("payload_content_encoding is not one of ['base64', 'binary']", 'payload_content_encoding'),
      ],
      [
        {
          payload: 'abc',
          payload_content_type: 'application/octet-stream',
          payload_content_encoding: 'binary',
        },
        invalid("'binary' is not one of ['base64']", 'payload_content_encoding'),
      ],
      [
        {
          payload: 'YQ',
          payload_content_type: 'application/octet-stream',
          payload_content_encoding: 'base64',
        },
        invalid('Invalid payload for payload_content_encoding', 'payload'),
      ],
      [
        { payload: '   ', payload_content_type: 'text/plain' },
        invalid("If 'payload' specified, must be non empty", 'payload'),
      ],
      [
        { payload_content_type: 'text/plain' },
        invalid('payload must be provided when payload_content_type is specified', 'payload'),
      ],
      [
        { secret_type: 'x509' },
        invalid(
          "'x509' is not one of ['symmetric', 'passphrase', 'private', 'public', 'certificate', 'opaque']",
          'secret_type',
        ),
      ],
      [{ bit_length: 0 }, invalid('0 is less than the minimum of 1', 'bit_length')],
      [{ bit_length: '256' }, invalid("'256' is not of type 'integer'", 'bit_length')],
      [{ name: 5 }, invalid("5 is not of type 'string', 'null'", 'name')],
      [{ expiration: 'tomorrow' }, invalid("Invalid date for 'expiration'", 'expiration')],
      [{ expiration: '2001-01-01T00:00:00Z' }, invalid("'expiration' is before current time", 'expiration')],
      [[] as unknown as Record<string, unknown>, invalid("[] is not of type 'object'", 'None')],
    ];
    for (const [body, description] of cases) {
      const response = await request('POST', '/key-manager/v1/secrets', member.token, { json: body });
      assertFault(response, 400, 'Bad Request', description);
    }
    assertFault(
      await request('POST', '/key-manager/v1/secrets', member.token, {
        json: { payload: 'x'.repeat(20_001), payload_content_type: 'text/plain' },
      }),
      413,
      'Request Entity Too Large',
      'Provided information too large to process',
    );
    assertFault(
      await request('POST', '/key-manager/v1/secrets', member.token, {
        body: '{"name": ',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'Bad Request',
      'Malformed JSON',
    );
    assertFault(
      await request('POST', '/key-manager/v1/secrets', member.token, {
        body: 'plain',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'Unsupported Media Type',
      "Unexpected content type. Expected content types are: ['application/json']",
    );
    const after = (await request('GET', '/key-manager/v1/secrets?limit=100', member.token)).json().total;
    assert.equal(after, before);
  });

  it('creates a metadata-only secret and takes its payload once by PUT', async () => {
    const id = await create(member.token, { name: 'two-step', secret_type: 'certificate' });
    const meta = (await request('GET', `/key-manager/v1/secrets/${id}`, member.token)).json();
    assert.equal('content_types' in meta, false);
    assertFault(
      await request('GET', `/key-manager/v1/secrets/${id}/payload`, member.token),
      404,
      'Not Found',
      'Not Found. Sorry but your secret has no payload.',
    );
    const url = `/key-manager/v1/secrets/${id}`;
    assertFault(
      await request('PUT', url, member.token, { json: { payload: 'x' } }),
      415,
      'Unsupported Media Type',
      "Unexpected content type. Expected content types are: ['application/octet-stream', 'text/plain']",
    );
    const headers = { 'content-type': 'application/octet-stream' };
    const put = await request('PUT', url, member.token, { body: BINARY, headers });
    assert.equal(put.statusCode, 204);
    assert.deepEqual((await request('GET', `${url}/payload`, member.token)).rawPayload, BINARY);
    assertFault(
      await request('PUT', url, member.token, { body: BINARY, headers }),
      409,
      'Conflict',
      'Secret already has data, cannot modify it.',
    );
    const encoded = await create(member.token, { name: 'two-step-b64' });
    const b64 = await request('PUT', `/key-manager/v1/secrets/${encoded}`, member.token, {
      body: BINARY.toString('base64'),
      headers: { ...headers, 'content-encoding': 'base64' },
    });
    assert.equal(b64.statusCode, 204);
    assert.deepEqual(
      (await request('GET', `/key-manager/v1/secrets/${encoded}/payload`, member.token)).rawPayload,
      BINARY,
    );
  });

  it('pages the project’s secrets 10 at a time (at most 100) with next/previous links, and filters them', async () => {
    const project = await api.userWithRoles(['member'], 'km-paging');
    for (let i = 0; i < 12; i++)
      await create(project.token, {
        name: `page-${i}`,
        algorithm: i % 2 ? 'aes' : 'rsa',
        bit_length: i % 2 ? 256 : 2048,
        secret_type: i < 3 ? 'symmetric' : 'opaque',
      });
    const first = (await request('GET', '/key-manager/v1/secrets', project.token)).json();
    assert.equal(first.secrets.length, 10);
    assert.equal(first.total, 12);
    assert.equal(first.next, `${BASE}/v1/secrets?limit=10&offset=10`);
    assert.equal('previous' in first, false);
    const second = (await request('GET', '/key-manager/v1/secrets?offset=10&limit=10', project.token)).json();
    // Creation order (secrets made in the same millisecond in a stable order), so the pages do not overlap.
    const names = (page: { secrets: { name: string }[] }) => page.secrets.map((s) => s.name);
    assert.equal(second.secrets.length, 2);
    assert.deepEqual(
      [...names(first), ...names(second)].sort(),
      Array.from({ length: 12 }, (_, i) => `page-${i}`).sort(),
    );
    assert.equal(second.previous, `${BASE}/v1/secrets?limit=10&offset=0`);
    assert.equal('next' in second, false);
    const capped = (await request('GET', '/key-manager/v1/secrets?limit=500', project.token)).json();
    assert.equal(capped.secrets.length, 12);
    const filtered = (
      await request('GET', '/key-manager/v1/secrets?alg=aes&bits=256&limit=2', project.token)
    ).json();
    assert.equal(filtered.total, 6);
    assert.equal(filtered.next, `${BASE}/v1/secrets?limit=2&offset=2&alg=aes&bits=256`);
    const byType = (
      await request('GET', '/key-manager/v1/secrets?secret_type=symmetric', project.token)
    ).json();
    assert.deepEqual(names(byType).sort(), ['page-0', 'page-1', 'page-2']);
    const byName = (await request('GET', '/key-manager/v1/secrets?name=page-1%25', project.token)).json();
    assert.deepEqual(names(byName).sort(), ['page-1', 'page-10', 'page-11']);
    const byNameAsc = (
      await request('GET', '/key-manager/v1/secrets?name=page-1%25&sort=name', project.token)
    ).json();
    assert.deepEqual(names(byNameAsc), ['page-1', 'page-10', 'page-11']);
    const sorted = (
      await request('GET', '/key-manager/v1/secrets?sort=name:desc&limit=1', project.token)
    ).json();
    assert.equal(sorted.secrets[0].name, 'page-9');
    assert.deepEqual((await request('GET', '/key-manager/v1/secrets?name=none', project.token)).json(), {
      secrets: [],
      total: 0,
    });
    for (const query of [
      'sort=color',
      'sort=name:up',
      'created=yesterday',
      'created=gt:2020-01-01,gte:2020-01-02',
    ])
      assertFault(
        await request('GET', `/key-manager/v1/secrets?${query}`, project.token),
        400,
        'Bad Request',
        'URI provided invalid query string parameters.',
      );
    const recent = (
      await request('GET', '/key-manager/v1/secrets?created=gt:2020-01-01T00:00:00&limit=100', project.token)
    ).json();
    assert.equal(recent.total, 12);
    const none = (
      await request('GET', '/key-manager/v1/secrets?created=lt:2020-01-01T00:00:00', project.token)
    ).json();
    assert.equal(none.total, 0);
  });

  it('keeps secrets to their project: other projects get 403, unknown ids 404, readers cannot create', async () => {
    const id = await create(member.token, {
      payload: BINARY.toString('base64'),
      payload_content_type: 'application/octet-stream',
      payload_content_encoding: 'base64',
    });
    const url = `/key-manager/v1/secrets/${id}`;
    assertFault(
      await request('GET', url, other.token),
      403,
      'Forbidden',
      'Secret retrieval attempt not allowed - please review your user/project privileges',
    );
    assertFault(
      await request('GET', `${url}/payload`, other.token),
      403,
      'Forbidden',
      'Secret payload retrieval attempt not allowed - please review your user/project privileges',
    );
    assertFault(
      await request('DELETE', url, other.token),
      403,
      'Forbidden',
      'Secret deletion attempt not allowed - please review your user/project privileges',
    );
    const list = (await request('GET', '/key-manager/v1/secrets?limit=100', other.token)).json();
    assert.equal(
      list.secrets.some((s: { secret_ref: string }) => s.secret_ref.endsWith(id)),
      false,
    );
    assertFault(
      await request('POST', '/key-manager/v1/secrets', reader.token, { json: { name: 'r' } }),
      403,
      'Forbidden',
      'Secret creation attempt not allowed - please review your user/project privileges',
    );
    assertFault(
      await request('GET', '/key-manager/v1/secrets/4f5e6d7c-0000-4000-8000-000000000000', member.token),
      404,
      'Not Found',
      'Secret not found.',
    );
    assertFault(
      await request('GET', '/key-manager/v1/secrets/not-a-uuid', member.token),
      404,
      'Not Found',
      'Not Found. Provided secret id is invalid.',
    );
    // Barbican's default policy lets `admin` of any project read metadata and delete, not decrypt.
    assert.equal((await request('GET', url, api.adminToken)).statusCode, 200);
    assert.equal((await request('GET', `${url}/payload`, api.adminToken)).statusCode, 403);
    assert.equal((await request('DELETE', url, member.token)).statusCode, 204);
    assertFault(await request('GET', url, member.token), 404, 'Not Found', 'Secret not found.');
  });

  it('stores, echoes, merges and deletes a secret’s ACL, and lets the users it names read the payload', async () => {
    const id = await create(member.token, { payload: 'acl-secret', payload_content_type: 'text/plain' });
    const url = `/key-manager/v1/secrets/${id}/acl`;
    assert.deepEqual((await request('GET', url, member.token)).json(), { read: { 'project-access': true } });
    const put = await request('PUT', url, member.token, { json: { read: { users: [other.userId] } } });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json(), { acl_ref: `${BASE}/v1/secrets/${id}/acl` });
    const acl = (await request('GET', url, member.token)).json();
    assert.deepEqual(acl, {
      read: {
        'project-access': true,
        users: [other.userId],
        created: acl.read.created,
        updated: acl.read.updated,
      },
    });
    const payload = await request('GET', `/key-manager/v1/secrets/${id}/payload`, other.token, {
      headers: { accept: 'text/plain' },
    });
    assert.equal(payload.body, 'acl-secret');
    await request('PATCH', url, member.token, { json: { read: { 'project-access': false } } });
    const patched = (await request('GET', url, member.token)).json();
    assert.equal(patched.read['project-access'], false);
    assert.deepEqual(patched.read.users, [other.userId]);
    assertFault(
      await request('PUT', url, member.token, { json: { write: {} } }),
      400,
      'Bad Request',
      "Provided object does not match schema 'ACL': Additional properties are not allowed ('write' was unexpected). Invalid property: 'None'",
    );
    assert.equal((await request('DELETE', url, member.token)).statusCode, 204);
    assert.deepEqual((await request('GET', url, member.token)).json(), { read: { 'project-access': true } });
    assertFault(
      await request('GET', `/key-manager/v1/secrets/${id}`, other.token),
      403,
      'Forbidden',
      'Secret retrieval attempt not allowed - please review your user/project privileges',
    );
  });

  it('answers unknown key-manager paths with Barbican’s body', async () => {
    const response = await request('GET', '/key-manager/v1/orders', member.token);
    assert.equal(response.statusCode, 404);
    assert.deepEqual(Object.keys(response.json()), ['code', 'title', 'description']);
  });

  it('answers 500 for a payload that does not open (copied from another secret), logging why but never the payload', async () => {
    const source = await create(member.token, {
      payload: `copied ${LOG_MARKER}`,
      payload_content_type: 'text/plain',
    });
    const target = await create(member.token, { payload: 'target', payload_content_type: 'text/plain' });
    const sealed = await api.store.db
      .selectFrom('secrets')
      .select(['payload_nonce', 'payload_ciphertext', 'payload_tag'])
      .where('id', '=', source)
      .executeTakeFirstOrThrow();
    await api.store.db.updateTable('secrets').set(sealed).where('id', '=', target).execute();
    assertFault(
      await request('GET', `/key-manager/v1/secrets/${target}/payload`, member.token, {
        headers: { accept: 'text/plain' },
      }),
      500,
      'Internal Server Error',
      'Secret payload retrieval failure seen - please contact site administrator.',
    );
    assert.match(log, new RegExp(`the secret store key does not open secret ${target}`));
    assert.equal(log.includes(LOG_MARKER), false);
    assert.equal(log.includes(Buffer.from(`pässword ${LOG_MARKER}`).toString('base64')), false);
  });
});
