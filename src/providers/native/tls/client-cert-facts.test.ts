// HAProxy's ssl_c_* value formats for the X-SSL-* headers.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { asn1Time, type ClientCertFacts, sslHeaderValue } from './client-cert-facts.ts';

const facts: ClientCertFacts = {
  used: true,
  verify: 0,
  subject: [
    ['O', 'Sluice'],
    ['CN', 'alice'],
  ],
  dn: '/O=Sluice/CN=alice',
  issuer: '/CN=Sluice Test CA',
  sha1: '0A1B',
  notBefore: '261205150324Z',
  notAfter: '270104150324Z',
};

it('writes ASN.1 times as YYMMDDhhmmssZ, whatever the century', () => {
  assert.equal(asn1Time(new Date('2026-12-05T15:03:04Z')), '261205150304Z');
  assert.equal(asn1Time(new Date('2051-01-02T03:04:05Z')), '510102030405Z');
});

it('writes the values as they are, as HAProxy does in a header for both %[..] and %{+Q}[..]', () => {
  assert.equal(sslHeaderValue('x-ssl-client-verify', facts), '0');
  assert.equal(sslHeaderValue('x-ssl-client-has-cert', facts), '1');
  assert.equal(sslHeaderValue('x-ssl-client-dn', facts), '/O=Sluice/CN=alice');
  assert.equal(sslHeaderValue('x-ssl-client-cn', facts), 'alice');
  assert.equal(sslHeaderValue('x-ssl-issuer', facts), '/CN=Sluice Test CA');
  assert.equal(sslHeaderValue('x-ssl-client-sha1', facts), '0A1B');
  assert.equal(sslHeaderValue('x-ssl-client-not-before', facts), '261205150324Z');
  assert.equal(sslHeaderValue('x-ssl-client-not-after', facts), '270104150324Z');
});

it('writes empty values for a client without a certificate', () => {
  const none = { ...facts, used: false, subject: [], dn: undefined, issuer: undefined, sha1: undefined };
  assert.equal(sslHeaderValue('x-ssl-client-has-cert', none), '0');
  assert.equal(sslHeaderValue('x-ssl-client-dn', none), '');
  assert.equal(sslHeaderValue('x-ssl-client-cn', none), '');
});
