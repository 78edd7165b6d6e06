// The bad-input corpus: every route the app documents in /openapi.json (so a new route is covered without
// touching this file), called as admin and as a project member with malformed bodies, hostile numbers and
// strings, bad ids and query strings. No answer may be a 5xx, every error is in its API family's fault
// format, and a rejected request leaves the store as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { snapshotStore, storeHoldsNul, totalChanges } from '../helpers/store-changes.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

type Family = 'octavia' | 'neutron' | 'keystone';
type Operation = { method: string; path: string; family: Family; envelope?: string; fields: Fields };
type Fields = Record<string, { type?: string }>;
type DocumentedOperation = {
  tags: string[];
  requestBody?: { content: { 'application/json': { schema: { properties: Record<string, Schema> } } } };
};
type Schema = { type?: string; properties?: Fields; items?: { properties?: Fields } };
type Case = {
  perField?: boolean;
  label: string;
  url: string;
  body?: string;
  contentType?: string | null;
};

/** The request envelope of routes whose body the OpenAPI document does not describe (Neutron, Keystone). */
const ENVELOPES: Record<string, string> = {
  networks: 'network',
  subnets: 'subnet',
  ports: 'port',
  routers: 'router',
  floatingips: 'floatingip',
  'security-groups': 'security_group',
  'security-group-rules': 'security_group_rule',
  pools: 'pool',
  vips: 'vip',
  members: 'member',
  health_monitors: 'health_monitor',
  projects: 'project',
  roles: 'role',
  users: 'user',
  tokens: 'auth',
  add_router_interface: 'subnet_id',
  remove_router_interface: 'subnet_id',
};
const FAMILY_OF_TAG: Record<string, Family> = {
  identity: 'keystone',
  networking: 'neutron',
  'load-balancer': 'octavia',
};
const HUGE_NUMBERS = [
  '2147483648',
  '9007199254740992',
  '9223372036854775808',
  '123456789012345678901234567890',
  '1e400',
  '-0',
  '1.5',
];
const BAD_IDS = ['not-a-uuid', '%00', '%ZZ', 'x'.repeat(300), "1'%20OR%20'1'%3D'1", '..'];
const BAD_QUERIES = [
  'limit=abc',
  'limit=1&limit=2',
  'limit=99999999999999999999999',
  'marker=not-a-uuid',
  'sort_key=nope&sort_dir=sideways',
  'sort=a:b:c',
  'fields=%00',
  '%zz=1',
  'a=%',
  'id=not-a-uuid&id=also-not',
  'name=%00',
  `name=${'x'.repeat(20_000)}`,
  'a=1&'.repeat(2_000),
  'page_reverse=maybe&cascade=maybe&additive_only=%00',
  'tags=,,,&not-tags-any=%00',
  'project_id=not-a-project',
  'enabled=%00&domain_id=%00',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  null,
];
const deep = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);

let api: TestApi;
let member: { token: string; projectId: string };
const ids = new Map<string, string>();

async function ok(method: 'POST' | 'PUT', url: string, body: unknown, token = member.token) {
  const response = await api.call(method, url, token, body);
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  await api.provisioner.idle();
  return response.json();
}

/** One object of every kind, so that requests on real ids reach the handlers' own validation. */
async function makeFixtures(): Promise<void> {
  const network = (await ok('POST', '/v2.0/networks', { network: { name: 'corpus' } })).network;
  const subnet = (
    await ok('POST', '/v2.0/subnets', {
      subnet: { network_id: network.id, ip_version: 4, cidr: '127.91.0.0/24' },
    })
  ).subnet;
  const port = (await ok('POST', '/v2.0/ports', { port: { network_id: network.id } })).port;
  const router = (await ok('POST', '/v2.0/routers', { router: { name: 'corpus' } })).router;
  const group = (await ok('POST', '/v2.0/security-groups', { security_group: { name: 'corpus' } }))
    .security_group;
  const lb = (await ok('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnet.id } }))
    .loadbalancer;
  const listener = (
    await ok('POST', '/v2/lbaas/listeners', {
      listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 },
    })
  ).listener;
  const pool = (
    await ok('POST', '/v2/lbaas/pools', {
      pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    })
  ).pool;
  const poolMember = (
    await ok('POST', `/v2/lbaas/pools/${pool.id}/members`, {
      member: { address: '127.91.0.10', protocol_port: 8080 },
    })
  ).member;
  const monitor = (
    await ok('POST', '/v2/lbaas/healthmonitors', {
      healthmonitor: { pool_id: pool.id, type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 },
    })
  ).healthmonitor;
  const policy = (
    await ok('POST', '/v2/lbaas/l7policies', { l7policy: { listener_id: listener.id, action: 'REJECT' } })
  ).l7policy;
  const rule = (
    await ok('POST', `/v2/lbaas/l7policies/${policy.id}/rules`, {
      rule: { type: 'PATH', compare_type: 'STARTS_WITH', value: '/x' },
    })
  ).rule;
  const admin = api.adminToken;
  const flavorProfile = (
    await ok(
      'POST',
      '/v2/lbaas/flavorprofiles',
      { flavorprofile: { name: 'corpus', provider_name: 'noop', flavor_data: '{}' } },
      admin,
    )
  ).flavorprofile;
  const flavor = (
    await ok(
      'POST',
      '/v2/lbaas/flavors',
      { flavor: { name: 'corpus', flavor_profile_id: flavorProfile.id } },
      admin,
    )
  ).flavor;
  const azProfile = (
    await ok(
      'POST',
      '/v2/lbaas/availabilityzoneprofiles',
      { availability_zone_profile: { name: 'corpus', provider_name: 'noop', availability_zone_data: '{}' } },
      admin,
    )
  ).availability_zone_profile;
  const az = (
    await ok(
      'POST',
      '/v2/lbaas/availabilityzones',
      { availability_zone: { name: 'corpus-az', availability_zone_profile_id: azProfile.id } },
      admin,
    )
  ).availability_zone;
  const v1Pool = (
    await ok('POST', '/v2.0/lb/pools', {
      pool: { name: 'v1', lb_method: 'ROUND_ROBIN', protocol: 'HTTP', subnet_id: subnet.id },
    })
  ).pool;
  const v1Member = (
    await ok('POST', '/v2.0/lb/members', {
      member: { pool_id: v1Pool.id, address: '127.91.0.11', protocol_port: 80 },
    })
  ).member;
  const v1Vip = (
    await ok('POST', '/v2.0/lb/vips', {
      vip: { pool_id: v1Pool.id, subnet_id: subnet.id, protocol: 'HTTP', protocol_port: 80 },
    })
  ).vip;
  const v1Monitor = (
    await ok('POST', '/v2.0/lb/health_monitors', {
      health_monitor: { type: 'TCP', delay: 5, timeout: 3, max_retries: 2 },
    })
  ).health_monitor;
  const project = (
    await ok('POST', '/v3/projects', { project: { name: 'corpus-victim', domain_id: 'default' } }, admin)
  ).project;
  const user = (
    await ok('POST', '/v3/users', { user: { name: 'corpus-victim', domain_id: 'default' } }, admin)
  ).user;
  const role = (await ok('POST', '/v3/roles', { role: { name: 'corpus-victim' } }, admin)).role;
  const amphorae = (await api.call('GET', '/v2/octavia/amphorae', admin)).json().amphorae as { id: string }[];
  const agents = (await api.call('GET', '/v2.0/agents', admin)).json().agents as { id: string }[];

  const byCollection: Record<string, string> = {
    networks: network.id,
    subnets: subnet.id,
    ports: port.id,
    routers: router.id,
    'security-groups': group.id,
    'security-group-rules': group.security_group_rules[0].id,
    loadbalancers: lb.id,
    listeners: listener.id,
    pools: pool.id,
    members: poolMember.id,
    healthmonitors: monitor.id,
    l7policies: policy.id,
    rules: rule.id,
    flavorprofiles: flavorProfile.id,
    flavors: flavor.id,
    availabilityzoneprofiles: azProfile.id,
    availabilityzones: az.name,
    providers: 'noop',
    quotas: member.projectId,
    'lb/pools': v1Pool.id,
    'lb/members': v1Member.id,
    'lb/vips': v1Vip.id,
    'lb/health_monitors': v1Monitor.id,
    health_monitors: v1Monitor.id,
    projects: project.id,
    users: user.id,
    roles: role.id,
    domains: 'default',
    extensions: 'lbaas',
    amphorae: amphorae[0]?.id ?? '3f1b7a4e-0000-4000-8000-000000000001',
    agents: agents[0]?.id ?? '3f1b7a4e-0000-4000-8000-000000000002',
  };
  for (const [key, value] of Object.entries(byCollection)) ids.set(key, value);
}

/** Every documented operation but HEAD (Fastify answers it with the GET handler). */
async function operations(): Promise<Operation[]> {
  const document = (await api.call('GET', '/openapi.json')).json();
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(
    document.paths as Record<string, Record<string, DocumentedOperation>>,
  )) {
    for (const [method, op] of Object.entries(methods)) {
      if (method === 'head') continue;
      const schema = op.requestBody?.content['application/json'].schema;
      const envelope = schema
        ? Object.keys(schema.properties)[0]
        : ENVELOPES[
            path
              .split('/')
              .filter((s) => !s.startsWith('{'))
              .at(-1) ?? ''
          ];
      const inner = schema?.properties?.[envelope];
      const fields = (inner?.properties ?? inner?.items?.properties ?? {}) as Fields;
      out.push({ method: method.toUpperCase(), path, family: FAMILY_OF_TAG[op.tags[0]], envelope, fields });
    }
  }
  // Deletes last: one that succeeds removes what later cases point at.
  return out.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

/** The path with every `{param}` replaced: real ids, unless `bad` names the param to spoil. */
function fillPath(path: string, bad?: { param: string; value: string }): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      if (bad?.param === param) return bad.value;
      const owner = segments[i - 1];
      const v1 = segments[i - 2] === 'lb' ? `lb/${owner}` : owner;
      if (param === 'projectId' || param === 'project')
        return ids.get(param === 'project' ? 'projects' : 'quotas')!;
      if (param === 'user' || param === 'role') return ids.get(`${param}s`)!;
      return ids.get(v1) ?? ids.get(owner) ?? 'f0000000-0000-4000-8000-000000000000';
    })
    .join('/');
}

function casesFor(op: Operation): Case[] {
  const url = fillPath(op.path);
  const cases: Case[] = [];
  for (const param of [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
    for (const value of BAD_IDS)
      cases.push({ label: `path ${param}=${value.slice(0, 20)}`, url: fillPath(op.path, { param, value }) });
  for (const query of BAD_QUERIES)
    cases.push({ label: `query ${query.slice(0, 40)}`, url: `${url}?${query}` });
  const bodies: [string, string][] = [
    ['invalid JSON', '{"a":'],
    ['huge body', JSON.stringify({ [op.envelope ?? 'x']: { name: 'x'.repeat(200_000) } })],
    ['deep arrays', deep(100_000, '[', ']')],
  ];
  const perField: [string, string][] = [];
  if (['POST', 'PUT', 'PATCH'].includes(op.method)) {
    const env = op.envelope ?? 'x';
    bodies.push(
      ['not JSON', 'nul'],
      ['empty', ''],
      ['null', 'null'],
      ['array', '[]'],
      ['string', '"x"'],
      ['number', '5'],
      ['true', 'true'],
      ['envelope null', `{"${env}": null}`],
      ['envelope array', `{"${env}": []}`],
      ['envelope array of null', `{"${env}": [null, 1]}`],
      ['envelope string', `{"${env}": "x"}`],
      ['envelope number', `{"${env}": 5}`],
      ['envelope empty', `{"${env}": {}}`],
      ['unknown field', `{"${env}": {"unknown_field_xyz": 1}}`],
      ['unknown top level', `{"${env}": {}, "other": 1}`],
      ['deep objects', deep(100_000, '{"a":', '}')],
      ['deep inside envelope', `{"${env}": {"name": ${deep(5_000, '[', ']')}}}`],
      ['NUL in strings', `{"${env}": {"name": "a\\u0000b", "description": "\\u0000"}}`],
      ['control characters', `{"${env}": {"name": "a\\u0001\\u001f\\u007f\\ud800b"}}`],
      [
        'every field null',
        JSON.stringify({ [env]: Object.fromEntries(Object.keys(op.fields).map((f) => [f, null])) }),
      ],
    );
    for (const [name, spec] of Object.entries(op.fields)) {
      if (spec.type === 'integer')
        for (const n of HUGE_NUMBERS) bodies.push([`${name}=${n}`, `{"${env}": {"${name}": ${n}}}`]);
      if (spec.type === 'string') perField.push([`${name} with NUL`, `{"${env}": {"${name}": "\\u0000"}}`]);
      if (spec.type === 'array')
        bodies.push([`${name} deep`, `{"${env}": {"${name}": ${deep(2_000, '[', ']')}}}`]);
    }
    for (const contentType of CONTENT_TYPES)
      cases.push({ label: `content-type ${contentType}`, url, body: `{"${env}": {}}`, contentType });
  }
  for (const [label, body] of bodies) cases.push({ label, url, body });
  for (const [label, body] of perField) cases.push({ label, url, body, perField: true });
  return cases;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Octavia's 413 comes from oslo.middleware's size limiter in front of the app: WebOb's plain-text page (no
 * Accept header here), not a WSME fault (src/api/plugins/webob-error.ts).
 */
function webobTooLarge(family: Family, status: number, raw: string): string | undefined {
  const head = '413 Request Entity Too Large\n\n';
  return family === 'octavia' && status === 413 && raw.startsWith(head)
    ? raw.slice(head.length).trim()
    : undefined;
}

function faultMessage(family: Family, status: number, body: unknown): string | undefined {
  const b = body as Record<string, Record<string, unknown> | undefined>;
  // keystonemiddleware answers 401 for every family (Keystone's error body).
  if (status === 401 || family === 'keystone') {
    const e = b.error;
    return e?.code === status && typeof e.title === 'string' ? text(e.message) : undefined;
  }
  if (family === 'neutron') {
    const e = b.NeutronError;
    return typeof e?.type === 'string' && e.detail === '' ? text(e.message) : undefined;
  }
  const expected = status < 500 ? 'Client' : 'Server';
  const fault = body as { faultcode?: string; faultstring?: string; debuginfo?: unknown };
  return fault.faultcode === expected && fault.debuginfo === null ? fault.faultstring : undefined;
}

describe('the bad-input corpus on every route of every API family', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member', 'load-balancer_member']);
    await makeFixtures();
  });
  after(async () => {
    await api.close();
  });

  it('answers every malformed request below 500, as a fault of the route’s family, and changes nothing when it refuses', async () => {
    const problems: string[] = [];
    const ops = await operations();
    assert.ok(ops.length > 100, `only ${ops.length} operations documented`);
    let snapshot: string | undefined;
    for (const op of ops) {
      for (const token of [api.adminToken, member.token]) {
        // The per-field number and string cases test the parser, which does not depend on the caller.
        for (const c of casesFor(op).filter((c) => token === api.adminToken || !c.perField)) {
          const where = `${op.method} ${op.path} [${c.label}] as ${token === api.adminToken ? 'admin' : 'member'}`;
          snapshot ??= await snapshotStore(api.store);
          const changesBefore = await totalChanges(api.store);
          const headers: Record<string, string> = { 'x-auth-token': token };
          if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
          let response: LightMyRequestResponse;
          try {
            response = await api.app.inject({
              method: op.method as 'GET',
              url: c.url,
              headers,
              payload: c.body,
            });
          } catch (error) {
            problems.push(`${where}: inject threw ${String(error)}`);
            continue;
          }
          const status = response.statusCode;
          if (status >= 500) problems.push(`${where}: ${status} ${response.body.slice(0, 200)}`);
          if (status >= 400) {
            let body: unknown;
            try {
              body = response.json();
            } catch {
              body = undefined;
            }
            const message =
              webobTooLarge(op.family, status, response.body) ??
              (body === undefined ? undefined : faultMessage(op.family, status, body));
            if (!message)
              problems.push(`${where}: ${status} not a ${op.family} fault: ${response.body.slice(0, 200)}`);
          }
          if ((await totalChanges(api.store)) === changesBefore) continue;
          if (status >= 400) {
            const now = await snapshotStore(api.store);
            if (now !== snapshot) problems.push(`${where}: ${status} but the store changed`);
            snapshot = now;
          } else {
            await api.provisioner.idle();
            if (c.label.includes('NUL') && (await storeHoldsNul(api.store)))
              problems.push(`${where}: ${status}: a NUL reached the store`);
            snapshot = undefined;
          }
        }
      }
    }
    if (process.env.CORPUS_DUMP)
      (await import('node:fs')).writeFileSync(process.env.CORPUS_DUMP, problems.join('\n'));
    assert.deepEqual(problems, []);
  });
});
