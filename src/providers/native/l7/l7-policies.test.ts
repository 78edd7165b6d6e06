// L7 rules (every type and compare type, invert) and policies in Octavia's evaluation order, by traffic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DesiredL7Policy, DesiredL7Rule } from '../../../model/desired-state.ts';
import * as build from '../../desired-test-builders.ts';
import { NativeProvider } from '../native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
  request,
} from '../native-test-fixtures.ts';
import { type ClientCertFacts, NO_CLIENT_CERT } from '../tls/client-cert-facts.ts';
import { compileRule, type L7Request } from './l7-policies.ts';

const VIP = '127.0.20.4';
let ids = 0;

function rule(
  type: string,
  compareType: string,
  value: string,
  extra: Partial<DesiredL7Rule> = {},
): DesiredL7Rule {
  return build.rule(`rule-${++ids}`, { type, compareType, value, ...extra });
}

function policy(
  action: string,
  position: number,
  rules: DesiredL7Rule[],
  extra: Partial<DesiredL7Policy> = {},
): DesiredL7Policy {
  return build.policy(`policy-${++ids}`, rules, { action, position, ...extra });
}

function l7Request(
  path: string,
  headers: Record<string, string> = {},
  cookies: Record<string, string> = {},
  tls?: ClientCertFacts,
): L7Request {
  return {
    host: headers.host,
    path,
    url: path,
    header: (name) => headers[name.toLowerCase()],
    cookie: (name) => cookies[name],
    tls,
  };
}

function certFacts(subject: [string, string][], verify = 0): ClientCertFacts {
  const dn = subject.map(([n, v]) => `/${n}=${v}`).join('');
  return { used: true, verify, subject, dn, issuer: '/CN=CA', sha1: 'AB', notBefore: '', notAfter: '' };
}

const NO_CERT = NO_CLIENT_CERT;

describe('L7 rules on the TLS client certificate', () => {
  const withCert = certFacts([
    ['O', 'Sluice'],
    ['CN', 'alice'],
    ['CN', 'second'],
  ]);
  it('SSL_CONN_HAS_CERT is HAProxy ssl_c_used: true with a certificate, false without or on plain HTTP', () => {
    const has = rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'True');
    assert.equal(compileRule(has)(l7Request('/', {}, {}, withCert)), true);
    assert.equal(compileRule(has)(l7Request('/', {}, {}, NO_CERT)), false);
    assert.equal(compileRule(has)(l7Request('/')), false);
    assert.equal(compileRule({ ...has, invert: true })(l7Request('/', {}, {}, NO_CERT)), true);
  });

  it('SSL_VERIFY_RESULT compares ssl_c_verify as an integer', () => {
    const ok = rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '0');
    assert.equal(compileRule(ok)(l7Request('/', {}, {}, withCert)), true);
    assert.equal(compileRule(ok)(l7Request('/', {}, {}, certFacts([['CN', 'x']], 23))), false);
    assert.equal(
      compileRule(rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '23'))(l7Request('/', {}, {}, certFacts([], 23))),
      true,
    );
    assert.equal(compileRule(ok)(l7Request('/')), false);
  });

  it('SSL_DN_FIELD matches the first subject entry of its key, case-sensitively, with each compare type', () => {
    const cn = (compareType: string, value: string) => ({
      ...rule('SSL_DN_FIELD', compareType, value),
      key: 'CN',
    });
    assert.equal(compileRule(cn('EQUAL_TO', 'alice'))(l7Request('/', {}, {}, withCert)), true);
    assert.equal(compileRule(cn('EQUAL_TO', 'second'))(l7Request('/', {}, {}, withCert)), false);
    assert.equal(compileRule(cn('EQUAL_TO', 'ALICE'))(l7Request('/', {}, {}, withCert)), false);
    assert.equal(compileRule(cn('STARTS_WITH', 'ali'))(l7Request('/', {}, {}, withCert)), true);
    assert.equal(compileRule(cn('REGEX', '^a.i'))(l7Request('/', {}, {}, withCert)), true);
    const org = { ...rule('SSL_DN_FIELD', 'CONTAINS', 'lui'), key: 'O' };
    assert.equal(compileRule(org)(l7Request('/', {}, {}, withCert)), true);
    assert.equal(compileRule(cn('EQUAL_TO', 'alice'))(l7Request('/', {}, {}, NO_CERT)), false);
  });
});

describe('L7 rules', () => {
  it('match each compare type the way the HAProxy ACL match methods do', () => {
    const cases: [DesiredL7Rule, L7Request, boolean][] = [
      [rule('HOST_NAME', 'EQUAL_TO', 'WWW.example.com'), l7Request('/', { host: 'www.EXAMPLE.com' }), true],
      [rule('HOST_NAME', 'REGEX', '^api\\.'), l7Request('/', { host: 'API.example.com' }), true],
      [rule('PATH', 'STARTS_WITH', '/api'), l7Request('/api/v1'), true],
      [rule('PATH', 'ENDS_WITH', '/v1'), l7Request('/api/v1'), true],
      [rule('PATH', 'CONTAINS', 'pi/v'), l7Request('/api/v1'), true],
      [rule('PATH', 'EQUAL_TO', '/API/v1'), l7Request('/api/v1'), false],
      [rule('PATH', 'REGEX', '^/api/v[0-9]+$'), l7Request('/api/v12'), true],
      // HAProxy's `-i` folds letters; the pattern is not lower-cased (\D would become \d)
      [rule('HOST_NAME', 'REGEX', '^API\\.\\D'), l7Request('/', { host: 'api.Example' }), true],
      [rule('HOST_NAME', 'REGEX', '^API\\.\\D'), l7Request('/', { host: 'api.1' }), false],
      // backtracking would take longer than the age of the universe on this path
      [rule('PATH', 'REGEX', '^/(a+)+$'), l7Request(`/${'a'.repeat(50_000)}!`), false],
      [rule('FILE_TYPE', 'EQUAL_TO', 'jpg'), l7Request('/a/b.jpg'), true],
      [rule('FILE_TYPE', 'REGEX', '^(png|gif)$'), l7Request('/a/b.jpg'), false],
      [rule('FILE_TYPE', 'EQUAL_TO', 'jpg'), l7Request('/a.jpg/b'), false],
      [
        rule('HEADER', 'CONTAINS', 'bot', { key: 'User-Agent' }),
        l7Request('/', { 'user-agent': 'googlebot/2' }),
        true,
      ],
      [rule('HEADER', 'EQUAL_TO', 'x', { key: 'X-Missing' }), l7Request('/'), false],
      [rule('HEADER', 'EQUAL_TO', 'x', { key: 'X-Missing', invert: true }), l7Request('/'), true],
      [rule('COOKIE', 'EQUAL_TO', 'blue', { key: 'theme' }), l7Request('/', {}, { theme: 'blue' }), true],
      [
        rule('COOKIE', 'STARTS_WITH', 'bl', { key: 'theme', invert: true }),
        l7Request('/', {}, { theme: 'blue' }),
        false,
      ],
    ];
    for (const [r, req, expected] of cases) {
      assert.equal(compileRule(r)(req), expected, `${r.type} ${r.compareType} ${r.value} invert=${r.invert}`);
    }
  });
});

describe('native provider, L7 policies by traffic', () => {
  const provider = new NativeProvider();
  let a: Backend;
  let b: Backend;
  let c: Backend;
  let port: number;
  let lbId: string;
  before(async () => {
    a = await httpBackend('127.0.13.1', 'a');
    b = await httpBackend('127.0.13.2', 'b');
    c = await httpBackend('127.0.13.3', 'c');
    port = await freePort(VIP);
    const p1 = pool([member(a.address, a.port)]);
    const p2 = pool([member(b.address, b.port)]);
    const p3 = pool([member(c.address, c.port)]);
    const disabledPool = pool([member(a.address, a.port)], { adminStateUp: false });
    const policies = [
      policy('REDIRECT_TO_POOL', 1, [rule('PATH', 'STARTS_WITH', '/api')], { redirectPoolId: p2.id }),
      policy('REDIRECT_PREFIX', 2, [rule('HOST_NAME', 'EQUAL_TO', 'OLD.example.com')], {
        redirectPrefix: 'https://new.example.com/',
        redirectHttpCode: 301,
      }),
      policy('REJECT', 3, [rule('HEADER', 'EQUAL_TO', 'yes', { key: 'X-Bad' })]),
      policy('REDIRECT_TO_URL', 4, [rule('COOKIE', 'EQUAL_TO', '1', { key: 'beta' })], {
        redirectUrl: 'https://beta.example.com/',
      }),
      policy('REDIRECT_TO_POOL', 5, [rule('FILE_TYPE', 'EQUAL_TO', 'jpg')], { redirectPoolId: p3.id }),
      policy(
        'REDIRECT_TO_POOL',
        0,
        [
          rule('HEADER', 'EQUAL_TO', 'eu', { key: 'X-Zone' }),
          rule('PATH', 'STARTS_WITH', '/api', { invert: true }),
        ],
        {
          redirectPoolId: p3.id,
        },
      ),
      policy('REJECT', 6, [rule('PATH', 'STARTS_WITH', '/')], { adminStateUp: false }),
      policy('REJECT', 7, [rule('PATH', 'STARTS_WITH', '/', { adminStateUp: false })]),
      policy('REDIRECT_TO_POOL', 8, [rule('PATH', 'STARTS_WITH', '/off')], {
        redirectPoolId: disabledPool.id,
      }),
    ];
    const lb = loadBalancer(
      VIP,
      [listener(port, { defaultPoolId: p1.id, l7policies: policies })],
      [p1, p2, p3, disabledPool],
    );
    lbId = lb.id;
    await provider.apply(lb);
  });
  after(async () => {
    await provider.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('routes matching requests to the policy pool and the rest to the default pool', async () => {
    assert.equal((await request(VIP, port, '/api/x')).body, 'b');
    assert.equal((await request(VIP, port, '/img/cat.jpg')).body, 'c');
    assert.equal((await request(VIP, port, '/img/cat.png')).body, 'a');
    assert.equal((await request(VIP, port, '/off/x')).body, 'a');
  });

  it('ANDs the rules of a policy and honours invert', async () => {
    assert.equal((await request(VIP, port, '/other', { 'x-zone': 'eu' })).body, 'c');
    assert.equal((await request(VIP, port, '/api/x', { 'x-zone': 'eu' })).body, 'b');
  });

  it('rejects with 403 before any redirect, whatever the positions', async () => {
    const answer = await request(VIP, port, '/api/x', { 'x-bad': 'yes', host: 'old.example.com' });
    assert.equal(answer.status, 403);
  });

  it('redirects before routing to a pool, keeping path and query for a prefix', async () => {
    const prefixed = await request(VIP, port, '/api/p?q=1', { host: 'old.example.com' });
    assert.equal(prefixed.status, 301);
    assert.equal(prefixed.headers.location, 'https://new.example.com/api/p?q=1');
    const url = await request(VIP, port, '/img/cat.jpg', { cookie: 'a=b; beta=1' });
    assert.equal(url.status, 302);
    assert.equal(url.headers.location, 'https://beta.example.com/');
  });

  it('ignores disabled policies and policies without an enabled rule', async () => {
    assert.equal((await request(VIP, port, '/plain')).status, 200);
    // the disabled pool is not served, so not reported either
    assert.equal(Object.keys(provider.report(lbId)?.pools ?? {}).length, 3);
  });
});
