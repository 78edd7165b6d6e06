// TLS in a real HAProxy (127.0.214.x) with test-pki certificates: TERMINATED_HTTPS serves the default and SNI
// certificates, negotiates h2 by ALPN, verifies and revokes client certificates, adds HSTS and the X-SSL headers;
// a tls_enabled pool re-encrypts to a TLS member with its client certificate; a rotated certificate is a new
// file and a reload that keeps established connections.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../test/helpers/test-pki.ts';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { SSL_HEADERS } from '../../model/listener.ts';
import { type Hsts, hstsHeaderValue, type ListenerTlsMaterial } from '../../model/tls-material.ts';
import { instancePaths } from './haproxy-process.ts';
import { HaproxyProvider } from './haproxy-provider.ts';
import {
  freePort,
  get,
  HAPROXY,
  listener,
  loadBalancer,
  member,
  monitor,
  policy,
  pool,
  rule,
  skipWithoutHaproxy,
  waitFor,
} from './haproxy-test-fixtures.ts';
import { pemCertificate, reencryptingTls, terminatedTls } from './tls-test-material.ts';

const VIP = '127.0.214.10';
const LB = 'lb-tls';
const HSTS: Hsts = { maxAge: 15552000, includeSubdomains: true, preload: false };

/** An X509Certificate date as ASN.1 UTCTime (`YYMMDDhhmmssZ`), the form of ssl_c_notbefore/ssl_c_notafter. */
const utcTime = (date: string) =>
  new Date(date)
    .toISOString()
    .replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d+Z$/, '$1$2$3$4$5$6Z');

/** One HTTPS GET on a fresh connection to the VIP, bounded to 5 s; rejects on any TLS or transport error. */
const httpsGet = (port: number, options: https.RequestOptions = {}, path = '/') =>
  get(VIP, port, path, { tls: { rejectUnauthorized: false, ...options } });

/** A TLS handshake with the listener, bounded to 5 s: the certificate it served and the ALPN protocol. */
function handshake(
  port: number,
  options: tls.ConnectionOptions = {},
): Promise<{ certificate: tls.PeerCertificate; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: VIP, port, rejectUnauthorized: false, ...options }, () => {
      const result = { certificate: socket.getPeerCertificate(), alpn: socket.alpnProtocol ?? false };
      socket.end();
      resolve(result);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timeout')));
    socket.on('error', reject);
  });
}

/** Sends one HTTP/1.1 request on an open socket and resolves with the whole response (Content-Length body). */
function exchange(socket: tls.TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error(`no complete response: ${text}`)), 5000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', done);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /^content-length:\s*(\d+)/im.exec(text.slice(0, end));
      if (end >= 0 && length && text.length >= end + 4 + Number(length[1])) done();
    };
    const onClose = () => done(new Error(`connection closed: ${text}`));
    socket.on('data', onData);
    socket.once('error', done);
    socket.once('close', onClose);
    socket.write(`GET / HTTP/1.1\r\nHost: www.example\r\n\r\n`);
  });
}

describe('haproxy TLS termination and re-encryption', {
  skip: skipWithoutHaproxy || opensslMissing,
}, () => {
  const runDir = path.join(os.tmpdir(), `sluice-hap-${process.pid}-tls`);
  const provider = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
  const servers: net.Server[] = [];
  const ports: Record<string, number> = {};
  let pki: TestPki;
  /** a CA that signed none of the members */
  let strangerPki: TestPki;
  let alice: IssuedCertificate;
  let mallory: IssuedCertificate;
  let lbClient: IssuedCertificate;
  let crl: string;
  let listenerMaterial: ListenerTlsMaterial;

  /** The load balancer, with `material` on both TERMINATED_HTTPS listeners. */
  const document = (material: ListenerTlsMaterial, revision = 1): DesiredLoadBalancer => {
    const terminated = (id: string, clientAuthentication: string, extra = {}) =>
      listener(id, ports[id], {
        protocol: 'TERMINATED_HTTPS',
        defaultPoolId: 'p-echo',
        tls: terminatedTls(material, { clientAuthentication, hsts: HSTS }),
        ...extra,
      });
    const insertHeaders = Object.fromEntries([...SSL_HEADERS, 'X-Forwarded-Proto'].map((h) => [h, 'true']));
    const echo = servers[0].address() as net.AddressInfo;
    const secure = servers[1].address() as net.AddressInfo;
    return loadBalancer(
      LB,
      VIP,
      [
        terminated('optional', 'OPTIONAL', {
          insertHeaders,
          l7policies: [
            policy('anonymous-private', [
              rule('private', { value: '/private' }),
              rule('has-cert', {
                type: 'SSL_CONN_HAS_CERT',
                compareType: 'EQUAL_TO',
                value: 'True',
                invert: true,
              }),
            ]),
            policy(
              'staff-only-alice',
              [
                rule('staff', { value: '/staff' }),
                rule('cn-alice', {
                  type: 'SSL_DN_FIELD',
                  key: 'CN',
                  compareType: 'EQUAL_TO',
                  value: 'alice',
                  invert: true,
                }),
              ],
              { position: 2 },
            ),
          ],
        }),
        terminated('mandatory', 'MANDATORY'),
        listener('reencrypt', ports.reencrypt, { defaultPoolId: 'p-tls' }),
        listener('stranger', ports.stranger, { defaultPoolId: 'p-stranger' }),
      ],
      [
        pool('p-echo', [member('echo', echo.address, echo.port)]),
        pool('p-tls', [member('secure', secure.address, secure.port)], {
          healthMonitor: monitor('hm-tls', { type: 'HTTPS', delay: 1 }),
          tls: reencryptingTls({
            clientCertificate: pemCertificate(lbClient, ['lb-client']),
            ca: pki.ca,
            crl,
          }),
        }),
        pool('p-stranger', [member('secure-2', secure.address, secure.port)], {
          tls: reencryptingTls({
            clientCertificate: pemCertificate(lbClient, ['lb-client']),
            ca: strangerPki.ca,
            crl: null,
          }),
        }),
      ],
      { revision },
    );
  };

  before(async () => {
    pki = await createTestPki();
    strangerPki = await createTestPki();
    // One at a time: test-pki numbers a certificate after an await, so parallel issues can share a serial.
    const www = await pki.server(['www.example', 'alt.example']);
    const api = await pki.server(['api.example']);
    const member1 = await pki.server(['member.test']);
    alice = await pki.client('alice');
    mallory = await pki.client('mallory');
    lbClient = await pki.client('lb-client');
    crl = await pki.crl([mallory]);
    listenerMaterial = {
      defaultCertificate: pemCertificate(www, ['www.example', 'alt.example'], [pki.ca]),
      sniCertificates: [pemCertificate(api, ['api.example'], [pki.ca])],
      clientCa: pki.ca,
      clientCrl: crl,
    };
    // A plain member answering with the request headers it received.
    const echo = http.createServer((request, response) => {
      request.resume();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.headers));
    });
    // A TLS member that requires a client certificate of the test CA and names the one it saw.
    const secure = https.createServer(
      { key: member1.privateKey, cert: member1.certificate, ca: pki.ca, requestCert: true },
      (request, response) => {
        request.resume();
        const socket = request.socket as tls.TLSSocket;
        response.end(`member saw ${socket.getPeerCertificate().subject?.CN} authorized=${socket.authorized}`);
      },
    );
    secure.on('tlsClientError', () => {});
    for (const [server, address] of [
      [echo, '127.0.214.1'],
      [secure, '127.0.214.2'],
    ] as const) {
      await new Promise<void>((resolve) => server.listen(0, address, resolve));
      servers.push(server);
    }
    for (const name of ['optional', 'mandatory', 'reencrypt', 'stranger']) ports[name] = await freePort(VIP);
    await provider.apply(document(listenerMaterial));
  });

  after(async () => {
    await provider.close();
    for (const server of servers) {
      (server as http.Server).closeAllConnections?.();
      server.close();
    }
    fs.rmSync(runDir, { recursive: true, force: true });
    await pki?.remove();
    await strangerPki?.remove();
  });

  it('refuses to apply a TERMINATED_HTTPS listener whose certificates are not resolved, with a 501', async () => {
    const unresolved = listener('unresolved', ports.optional, {
      protocol: 'TERMINATED_HTTPS',
      tls: terminatedTls(listenerMaterial, { material: null }),
    });
    await assert.rejects(provider.apply(loadBalancer('lb-tls-unresolved', VIP, [unresolved], [])), {
      status: 501,
      message:
        "Provider 'haproxy' does not support a requested option: TERMINATED_HTTPS listener without resolved certificates",
    });
  });

  it('serves the default certificate without SNI or for an unknown name, and the SNI certificate by name', async () => {
    const cn = async (servername?: string) =>
      (await handshake(ports.optional, servername ? { servername } : {})).certificate.subject.CN;
    assert.equal(await cn(), 'www.example');
    assert.equal(await cn('unknown.example'), 'www.example');
    assert.equal(await cn('api.example'), 'api.example');
    assert.equal(await cn('alt.example'), 'www.example');
  });

  it('negotiates h2 by ALPN', async () => {
    assert.equal((await handshake(ports.optional, { ALPNProtocols: ['h2'] })).alpn, 'h2');
    assert.equal((await handshake(ports.optional, { ALPNProtocols: ['http/1.1'] })).alpn, 'http/1.1');
  });

  it('adds the exact Strict-Transport-Security header to responses', async () => {
    const reply = await httpsGet(ports.optional, { servername: 'www.example' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['strict-transport-security'], hstsHeaderValue(HSTS));
    assert.equal(reply.headers['strict-transport-security'], 'max-age=15552000; includeSubDomains;');
  });

  it('passes the client certificate facts to the member in the X-SSL headers, and X-Forwarded-Proto https', async () => {
    const reply = await httpsGet(ports.optional, { key: alice.privateKey, cert: alice.certificate });
    assert.equal(reply.status, 200);
    const seen = JSON.parse(reply.body) as Record<string, string>;
    const x509 = new X509Certificate(alice.certificate);
    assert.equal(seen['x-forwarded-proto'], 'https');
    assert.equal(seen['x-ssl-client-verify'], '0');
    assert.equal(seen['x-ssl-client-has-cert'], '1');
    // `%{+Q}` quotes only in logs; in a header HAProxy writes the value as it is.
    assert.equal(seen['x-ssl-client-dn'], '/CN=alice');
    assert.equal(seen['x-ssl-client-cn'], 'alice');
    assert.equal(seen['x-ssl-issuer'], '/CN=Sluice Test CA');
    assert.equal(seen['x-ssl-client-sha1'], x509.fingerprint.replaceAll(':', ''));
    assert.equal(seen['x-ssl-client-not-before'], utcTime(x509.validFrom));
    assert.equal(seen['x-ssl-client-not-after'], utcTime(x509.validTo));

    const anonymous = JSON.parse((await httpsGet(ports.optional)).body) as Record<string, string>;
    assert.equal(anonymous['x-ssl-client-has-cert'], '0');
  });

  it('matches L7 rules on whether the client sent a certificate and on its subject fields', async () => {
    const aliceKey = { key: alice.privateKey, cert: alice.certificate };
    const other = { key: lbClient.privateKey, cert: lbClient.certificate };
    assert.equal((await httpsGet(ports.optional, {}, '/private')).status, 403);
    assert.equal((await httpsGet(ports.optional, aliceKey, '/private')).status, 200);
    assert.equal((await httpsGet(ports.optional, aliceKey, '/staff')).status, 200);
    assert.equal((await httpsGet(ports.optional, other, '/staff')).status, 403);
    assert.equal((await httpsGet(ports.optional, other, '/private')).status, 200);
  });

  it('refuses a client without a certificate and one with a revoked certificate under MANDATORY', async () => {
    const good = await httpsGet(ports.mandatory, { key: alice.privateKey, cert: alice.certificate });
    assert.equal(good.status, 200);
    await assert.rejects(httpsGet(ports.mandatory), /certificate required|handshake failure/);
    await assert.rejects(
      httpsGet(ports.mandatory, { key: mallory.privateKey, cert: mallory.certificate }),
      /certificate revoked/,
    );
    // OPTIONAL admits a client without a certificate, not one whose certificate fails verification.
    assert.equal((await httpsGet(ports.optional)).status, 200);
    await assert.rejects(
      httpsGet(ports.optional, { key: mallory.privateKey, cert: mallory.certificate }),
      /certificate revoked/,
    );
  });

  it('re-encrypts to a TLS member with its client certificate, verified against the pool CA', async () => {
    const members = await waitFor(
      () => provider.report(LB)?.pools['p-tls']?.members,
      (m) => m?.secure === 'UP',
      15_000,
    );
    assert.equal(members?.secure, 'UP', 'the HTTPS health check reaches the member over TLS');
    const reply = (await get(VIP, ports.reencrypt)).body;
    assert.equal(reply, 'member saw lb-client authorized=true');
    // verify required: a member whose certificate the pool's CA did not sign gets no request.
    assert.equal((await get(VIP, ports.stranger)).status, 503);
  });

  it('rotates a certificate by a new file and a reload that keeps an established connection', async () => {
    const socket = tls.connect({ host: VIP, port: ports.optional, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    try {
      const oldSerial = socket.getPeerCertificate().serialNumber;
      assert.match(await exchange(socket), /^HTTP\/1\.1 200/);
      const tlsDir = instancePaths(runDir, LB).tlsDir;
      const before = new Set(fs.readdirSync(tlsDir));
      const renewed = await pki.server(['www.example', 'alt.example']);
      const reloads = provider.runtimeInfo(LB)!.reloads;
      await provider.apply(
        document(
          { ...listenerMaterial, defaultCertificate: pemCertificate(renewed, ['www.example'], [pki.ca]) },
          2,
        ),
      );
      assert.equal(provider.runtimeInfo(LB)!.reloads, reloads + 1);
      // The connection made before the reload is still served, by the old worker.
      assert.match(await exchange(socket), /^HTTP\/1\.1 200/);
      const fresh = await handshake(ports.optional);
      assert.notEqual(fresh.certificate.serialNumber, oldSerial);
      assert.equal(fresh.certificate.serialNumber, new X509Certificate(renewed.certificate).serialNumber);
      // The old certificate's file and crt-list are gone, the new ones are private to this user.
      const after = fs.readdirSync(tlsDir);
      assert.equal(after.filter((name) => !before.has(name)).length, 2, after.join(' '));
      assert.equal(after.length, before.size);
      for (const name of after) assert.equal(fs.statSync(path.join(tlsDir, name)).mode & 0o777, 0o600);
    } finally {
      socket.destroy();
    }
  });
});
