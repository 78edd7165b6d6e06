import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkAlpnProtocols,
  checkPoolTlsCreate,
  checkPoolTlsUpdate,
  checkSessionPersistence,
  checkTlsVersions,
  isValidCookieName,
  type Violation,
} from './pool-validation.ts';

const detail = (v: Violation | undefined) => (v?.kind === 'validation' ? v.detail : v);

describe('session persistence rules (reference §5.1)', () => {
  it('accepts SOURCE_IP, HTTP_COOKIE and APP_COOKIE with a cookie name on an HTTP pool', () => {
    assert.equal(checkSessionPersistence('HTTP', { type: 'SOURCE_IP' }), undefined);
    assert.equal(checkSessionPersistence('HTTP', { type: 'HTTP_COOKIE' }), undefined);
    assert.equal(
      checkSessionPersistence('HTTP', { type: 'APP_COOKIE', cookieName: 'JSESSIONID' }),
      undefined,
    );
    assert.equal(checkSessionPersistence('HTTP', null), undefined);
  });

  it('requires a cookie name for APP_COOKIE', () => {
    assert.equal(
      detail(checkSessionPersistence('HTTP', { type: 'APP_COOKIE' })),
      'Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.',
    );
  });

  it('refuses a cookie name with any type but APP_COOKIE', () => {
    assert.equal(
      detail(checkSessionPersistence('TCP', { type: 'HTTP_COOKIE', cookieName: 'x' })),
      'Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".',
    );
  });

  it('refuses a cookie name with whitespace or separators', () => {
    for (const name of ['a b', 'a,b', 'a;b', 'a\\b', 'a=b', 'a"b', 'a\tb', '(x)', 'a/b', '{x}']) {
      assert.equal(
        detail(checkSessionPersistence('HTTP', { type: 'APP_COOKIE', cookieName: name })),
        'Supplied "cookie_name" is invalid.',
        name,
      );
    }
  });

  it('accepts RFC 6265 token characters in a cookie name', () => {
    assert.ok(isValidCookieName("SESSION_id-1.2!#$%&'*+^`|~"));
    assert.equal(isValidCookieName('\u20ac'), false, 'no Latin-1 character at all');
  });

  it('refuses persistence_timeout or persistence_granularity on a non-UDP/SCTP pool', () => {
    const expected =
      'persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools.';
    assert.equal(
      detail(checkSessionPersistence('HTTP', { type: 'SOURCE_IP', persistenceTimeout: 60 })),
      expected,
    );
    assert.equal(
      detail(checkSessionPersistence('TCP', { type: 'SOURCE_IP', persistenceGranularity: '255.255.255.0' })),
      expected,
    );
    assert.equal(checkSessionPersistence('TCP', { type: 'SOURCE_IP', persistenceTimeout: 0 }), undefined);
  });

  it('accepts SOURCE_IP with timeout and granularity on UDP and SCTP pools', () => {
    for (const protocol of ['UDP', 'SCTP']) {
      const sp = { type: 'SOURCE_IP', persistenceTimeout: 60, persistenceGranularity: '255.255.255.0' };
      assert.equal(checkSessionPersistence(protocol, sp), undefined);
    }
  });

  it('refuses extra fields with SOURCE_IP on a UDP/SCTP pool', () => {
    assert.equal(
      detail(checkSessionPersistence('UDP', { type: 'SOURCE_IP', cookieName: 'x' })),
      'session_persistence SOURCE_IP type for UDP and SCTP protocols only accepts: type, persistence_timeout, ' +
        'persistence_granularity.',
    );
  });

  it('refuses cookie names on UDP/SCTP pools', () => {
    assert.equal(
      detail(checkSessionPersistence('SCTP', { type: 'APP_COOKIE', cookieName: 'x' })),
      'Cookie names are not supported for UDP/SCTP pools.',
    );
  });

  it('refuses cookie persistence types on UDP/SCTP pools', () => {
    assert.equal(
      detail(checkSessionPersistence('UDP', { type: 'HTTP_COOKIE' })),
      'Session persistence of type HTTP_COOKIE is not supported for UDP/SCTP protocol pools.',
    );
  });

  it('refuses a session persistence without a type', () => {
    assert.equal(
      detail(checkSessionPersistence('HTTP', { cookieName: null })),
      'Invalid session_persistence provided.',
    );
  });
});

describe('pool TLS rules (reference §5)', () => {
  it('requires a CA certificate to specify a CRL on create', () => {
    assert.equal(
      detail(checkPoolTlsCreate({ crlContainerRef: 'crl' })),
      'A CA certificate reference is required to specify a revocation list.',
    );
    assert.equal(checkPoolTlsCreate({ crlContainerRef: 'crl', caTlsContainerRef: 'ca' }), undefined);
  });

  it('validates TLS versions on create only when TLS is enabled', () => {
    assert.equal(checkPoolTlsCreate({ tlsVersions: ['TLSv9'] }), undefined);
    assert.equal(
      detail(checkPoolTlsCreate({ tlsEnabled: true, tlsVersions: ['TLSv9'] })),
      'Invalid TLS versions: TLSv9',
    );
  });

  it('refuses an empty TLS version list', () => {
    assert.equal(
      detail(checkTlsVersions([])),
      'Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
    );
    assert.equal(checkTlsVersions(null), undefined);
    assert.equal(checkTlsVersions(['TLSv1.2', 'TLSv1.3']), undefined);
  });

  it('refuses an empty ALPN protocol list', () => {
    assert.equal(
      detail(checkAlpnProtocols([])),
      'Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the ' +
        'default.',
    );
    assert.equal(checkAlpnProtocols(['h2']), undefined);
  });

  it('refuses removing the CA while a CRL is stored', () => {
    assert.equal(
      detail(
        checkPoolTlsUpdate({ caTlsContainerRef: 'ca', crlContainerRef: 'crl' }, { caTlsContainerRef: null }),
      ),
      'A CA reference cannot be removed when a certificate revocation list is present.',
    );
  });

  it('refuses a CRL on update when there is no CA', () => {
    const expected = 'A CA reference is required to specify a certificate revocation list.';
    const none = { caTlsContainerRef: null, crlContainerRef: null };
    assert.equal(detail(checkPoolTlsUpdate(none, { crlContainerRef: 'crl' })), expected);
    assert.equal(
      detail(checkPoolTlsUpdate(none, { crlContainerRef: 'crl', caTlsContainerRef: null })),
      expected,
    );
    assert.equal(checkPoolTlsUpdate(none, { crlContainerRef: 'crl', caTlsContainerRef: 'ca' }), undefined);
  });
});
