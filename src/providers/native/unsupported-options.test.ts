// What the native provider refuses up front (the API's 501): L7 regexes it cannot run in linear time, and a
// listener whose regexes together could cost one request more than the budget.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { DesiredListener } from '../../model/desired-state.ts';
import * as build from '../desired-test-builders.ts';
import { MAX_LISTENER_REGEX_POSITIONS, unresolvedTls, unsupportedOptions } from './unsupported-options.ts';

function withRegexes(values: string[], type = 'PATH', adminStateUp = true) {
  const rules = values.map((value, i) =>
    build.rule(`r${i}`, { type, compareType: 'REGEX', value, adminStateUp }),
  );
  const policies = rules.map((rule, i) =>
    build.policy(`p${i}`, [rule], { action: 'REJECT', position: i + 1 }),
  );
  return build.loadBalancer('lb1', '127.0.20.11', [build.listener('l1', 80, { l7policies: policies })], []);
}

it('serves linear-time regexes within the listener budget', () => {
  assert.deepEqual(unsupportedOptions(withRegexes(['^/(a+)+$', '^/api/v[0-9]{1,3}/', '^(a*)*b$'])), []);
  assert.deepEqual(unsupportedOptions(withRegexes(['^API\\.'], 'HOST_NAME')), []);
});

it('names each regex the linear engine cannot run, even in a disabled rule', () => {
  assert.deepEqual(unsupportedOptions(withRegexes(['^(a)\\1$', '^/(?=x)'], 'PATH', false)), [
    "L7 rule regex '^(a)\\1$' (backreferences)",
    "L7 rule regex '^/(?=x)' (not runnable in linear time: lookahead, backreferences or large repeat counts)",
  ]);
});

it('refuses a listener whose regexes together exceed the per-request budget', () => {
  const heavy = '(.*a){16}'; // 32 positions
  const count = Math.floor(MAX_LISTENER_REGEX_POSITIONS / 32);
  assert.deepEqual(unsupportedOptions(withRegexes(Array(count).fill(heavy))), []);
  assert.deepEqual(unsupportedOptions(withRegexes(Array(count + 1).fill(heavy))), [
    `L7 rule regexes of listener l1 (${(count + 1) * 32} NFA positions, at most ${MAX_LISTENER_REGEX_POSITIONS})`,
  ]);
});

const CERT = {
  certificate: 'PEM',
  privateKey: 'KEY',
  intermediates: [],
  names: ['a.example'],
  notAfter: '2030-01-01T00:00:00Z',
};
const LISTENER_MATERIAL = { defaultCertificate: CERT, sniCertificates: [], clientCa: null, clientCrl: null };

function terminated(tls: Partial<DesiredListener['tls']>, extra: Partial<DesiredListener> = {}) {
  const base = build.listener('l1', 443).tls;
  const listener = build.listener('l1', 443, {
    protocol: 'TERMINATED_HTTPS',
    tls: { ...base, material: LISTENER_MATERIAL, ...tls },
    ...extra,
  });
  return build.loadBalancer('lb1', '127.0.20.11', [listener], []);
}

it('serves TERMINATED_HTTPS with its X-SSL headers and SSL L7 rule types', () => {
  const rules = ['SSL_CONN_HAS_CERT', 'SSL_VERIFY_RESULT', 'SSL_DN_FIELD'].map((type, i) =>
    build.rule(`r${i}`, { type, compareType: 'EQUAL_TO', key: 'CN', value: '0' }),
  );
  const lb = terminated(
    { versions: ['TLSv1.2', 'TLSv1.3'], alpnProtocols: ['h2', 'http/1.1'], clientAuthentication: 'OPTIONAL' },
    {
      insertHeaders: {
        'X-SSL-Client-DN': 'true',
        'X-SSL-Client-Verify': 'true',
        'X-Forwarded-Proto': 'true',
      },
      l7policies: [build.policy('p1', rules, { action: 'REJECT', position: 1 })],
    },
  );
  assert.deepEqual(unsupportedOptions(lb), []);
});

it('judges TLS options alone while certificates are not resolved; applying then names what is missing', () => {
  const lb = terminated({ material: null, versions: ['TLSv1', 'TLSv1.2'] });
  assert.deepEqual(unsupportedOptions(lb), [
    'tls_versions TLSv1, TLSv1.2 (a gap between versions: Node.js enables one range)',
  ]);
  assert.deepEqual(unsupportedOptions(terminated({ material: null })), []);
  assert.deepEqual(unresolvedTls(terminated({ material: null })), [
    'TERMINATED_HTTPS listener l1 without resolved certificates',
  ]);
  assert.deepEqual(unresolvedTls(terminated({})), []);
});

it('refuses tls_versions with a gap, which Node cannot enable, and SSLv3', () => {
  assert.deepEqual(unsupportedOptions(terminated({ versions: ['TLSv1.1', 'TLSv1.3'] })), [
    'tls_versions TLSv1.1, TLSv1.3 (a gap between versions: Node.js enables one range)',
  ]);
  assert.deepEqual(unsupportedOptions(terminated({ versions: ['SSLv3', 'TLSv1.2'] })), [
    'tls_versions SSLv3 (Node.js has no SSLv3)',
  ]);
  assert.deepEqual(unsupportedOptions(terminated({ versions: ['TLSv1.3', 'TLSv1.2', 'TLSv1.1'] })), []);
});

it('serves listener alpn_protocols h2 alone, but refuses a pool that would speak only h2 to members', () => {
  assert.deepEqual(unsupportedOptions(terminated({ alpnProtocols: ['h2'] })), []);
  const tls = { ...build.pool('p1', []).tls, enabled: true, alpnProtocols: ['h2'] };
  const h2Only = build.loadBalancer('lb1', '127.0.20.11', [], [build.pool('p1', [], { tls })]);
  assert.deepEqual(unsupportedOptions(h2Only), [
    'pool alpn_protocols h2 alone (the native data plane speaks HTTP/1.x to members)',
  ]);
  const mixed = { ...tls, alpnProtocols: ['h2', 'http/1.1'] };
  const served = build.loadBalancer('lb1', '127.0.20.11', [], [build.pool('p1', [], { tls: mixed })]);
  assert.deepEqual(unsupportedOptions(served), []);
});

it('serves pools with tls_enabled; applying one whose certificates are not resolved names it', () => {
  const tls = { ...build.pool('p1', []).tls, enabled: true };
  const served = build.pool('p1', [], {
    tls: { ...tls, material: { clientCertificate: null, ca: null, crl: null } },
  });
  const unresolved = build.pool('p2', [], { tls });
  const lb = build.loadBalancer('lb1', '127.0.20.11', [], [served, unresolved]);
  assert.deepEqual(unsupportedOptions(lb), []);
  assert.deepEqual(unresolvedTls(lb), ['pool p2 tls_enabled without resolved certificates']);
});
