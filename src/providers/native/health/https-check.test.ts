import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:net';
import { after, before, describe, it, test } from 'node:test';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';
import * as build from '../../desired-test-builders.ts';
import { compileMemberTls, type MemberTls } from '../tls/member-tls.ts';
import { pemOf } from '../tls/tls-test-fixtures.ts';
import {
  closeServer,
  healthMonitor,
  listenOn,
  NO_OPENSSL,
  selfSignedCertificate,
} from './health-test-fixtures.ts';
import { httpsCheck } from './https-check.ts';
import { tlsHelloCheck } from './tls-hello-check.ts';

const credentials = await selfSignedCertificate();

test('an HTTPS check is up on the expected code even though the certificate is self-signed', {
  skip: credentials === undefined ? NO_OPENSSL : false,
}, async () => {
  const server = createHttpsServer(credentials!, (request, response) => {
    response.statusCode = request.url === '/health' ? 200 : 404;
    response.end();
  });
  const port = await listenOn(server, '127.0.12.1');
  try {
    const target = { address: '127.0.12.1', port };
    const signal = AbortSignal.timeout(5000);
    assert.equal(
      await httpsCheck(target, healthMonitor({ type: 'HTTPS', urlPath: '/health' }), signal),
      true,
    );
    assert.equal(
      await httpsCheck(target, healthMonitor({ type: 'HTTPS', urlPath: '/missing' }), signal),
      false,
    );
  } finally {
    await closeServer(server);
  }
});

test('an HTTPS check is down against a member that speaks plain HTTP', async () => {
  const server = createHttpServer((_request, response) => response.end());
  const port = await listenOn(server, '127.0.12.2');
  try {
    const monitor = healthMonitor({ type: 'HTTPS' });
    assert.equal(
      await httpsCheck({ address: '127.0.12.2', port }, monitor, AbortSignal.timeout(5000)),
      false,
    );
  } finally {
    await closeServer(server);
  }
});

describe('checks of a re-encrypting pool', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let otherPki: TestPki;
  let proxy: IssuedCertificate;
  let server: Server;
  let port: number;
  before(async () => {
    pki = await createTestPki();
    otherPki = await createTestPki();
    proxy = await pki.client('sluice-proxy');
    const cert = await pki.server(['member.internal']);
    // A member that requires a client certificate of the pool's CA.
    server = createHttpsServer(
      {
        cert: cert.certificate,
        key: cert.privateKey,
        ca: pki.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (_request, response) => response.end(),
    );
    port = await listenOn(server, '127.0.12.3');
  });
  after(async () => {
    await closeServer(server);
    await pki.remove();
    await otherPki.remove();
  });

  function memberTls(ca: string | null) {
    const material = { clientCertificate: pemOf(proxy, []), ca, crl: null };
    const p = build.pool('p1', [], { tls: { ...build.pool('p1', []).tls, enabled: true, material } });
    return compileMemberTls(p);
  }

  it('HTTPS ones present the pool client certificate the member requires, and verify it with the pool CA', async () => {
    const monitor = healthMonitor({ type: 'HTTPS' });
    const check = (tls?: MemberTls) =>
      httpsCheck({ address: '127.0.12.3', port, tls }, monitor, AbortSignal.timeout(5000));
    assert.equal(await check(memberTls(pki.ca)), true);
    assert.equal(await check(memberTls(null)), true);
    assert.equal(await check(undefined), false); // no client certificate: the member refuses
    assert.equal(await check(memberTls(otherPki.ca)), false); // the member does not verify
  });

  it('make TCP and TLS-HELLO checks a full handshake with the pool settings, down when it does not verify', async () => {
    const monitor = healthMonitor({ type: 'TLS-HELLO' });
    const check = (tls?: MemberTls) =>
      tlsHelloCheck({ address: '127.0.12.3', port, tls }, monitor, AbortSignal.timeout(5000));
    assert.equal(await check(memberTls(pki.ca)), true);
    assert.equal(await check(memberTls(otherPki.ca)), false);
  });
});
