// TERMINATED_HTTPS listeners of the native engine by real handshakes: default and SNI certificates, ALPN,
// versions, HSTS and X-Forwarded-Proto, client authentication with CA and CRL, the X-SSL-* headers a member
// sees, SSL L7 rules, and certificate rotation that leaves an established connection alone.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { negotiatedAlpn } from '../../../../test/helpers/h2-client.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';
import type { DesiredListener } from '../../../model/desired-state.ts';
import type { ListenerTlsMaterial } from '../../../model/tls-material.ts';
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
  tcpExchange,
} from '../native-test-fixtures.ts';
import { asn1Time } from './client-cert-facts.ts';
import { getOn, httpsRequest, pemOf } from './tls-test-fixtures.ts';

const VIP = '127.0.20.31';

describe('native provider, TERMINATED_HTTPS listeners', { skip: opensslMissing }, () => {
  const provider = new NativeProvider();
  let pki: TestPki;
  let otherPki: TestPki;
  let backend: Backend;
  let main: IssuedCertificate;
  let api: IssuedCertificate;
  let wildcard: IssuedCertificate;
  let alice: IssuedCertificate;
  let mallory: IssuedCertificate;
  let stranger: IssuedCertificate;
  let crl: string;
  let revision = 1;

  before(async () => {
    pki = await createTestPki();
    otherPki = await createTestPki();
    backend = await httpBackend('127.0.11.31', 'member');
    main = await pki.server(['www.example.com']);
    api = await pki.server(['api.example.com']);
    wildcard = await pki.server(['*.apps.example.com']);
    alice = await pki.client('alice');
    mallory = await pki.client('mallory');
    stranger = await otherPki.client('stranger');
    crl = await pki.crl([mallory]);
  });
  after(async () => {
    await provider.close();
    await backend.close();
    await pki.remove();
    await otherPki.remove();
  });

  function material(extra: Partial<ListenerTlsMaterial> = {}): ListenerTlsMaterial {
    return {
      defaultCertificate: pemOf(main, ['www.example.com']),
      sniCertificates: [pemOf(api, ['api.example.com']), pemOf(wildcard, ['*.apps.example.com'])],
      clientCa: null,
      clientCrl: null,
      ...extra,
    };
  }

  function terminated(
    port: number,
    tls: Partial<DesiredListener['tls']>,
    extra: Partial<DesiredListener> = {},
  ) {
    const base = build.listener('unused', port).tls;
    return listener(port, {
      protocol: 'TERMINATED_HTTPS',
      tls: { ...base, material: material(), ...tls },
      ...extra,
    });
  }

  async function serve(tls: Partial<DesiredListener['tls']>, extra: Partial<DesiredListener> = {}) {
    const port = await freePort(VIP);
    const p = pool([member(backend.address, backend.port)]);
    const l = terminated(port, tls, { defaultPoolId: p.id, ...extra });
    const lb = loadBalancer(VIP, [l], [p], { revision: revision++ });
    await provider.apply(lb);
    return { port, lb, l, p };
  }

  it('refuses to apply a TERMINATED_HTTPS listener whose certificates are not resolved (never plain HTTP)', async () => {
    const port = await freePort(VIP);
    const lb = loadBalancer(VIP, [terminated(port, { material: null })], [], { revision: revision++ });
    await assert.rejects(
      provider.apply(lb),
      new RegExp(
        `Provider 'native' does not support a requested option: TERMINATED_HTTPS listener ${lb.listeners[0].id} without resolved certificates`,
      ),
    );
    assert.equal(provider.report(lb.id), undefined);
  });

  it('serves the default certificate without SNI or for an unknown name, and SNI certificates by name', async () => {
    const { port, lb } = await serve({});
    const picks: Record<string, string> = {
      '': 'www.example.com',
      'unknown.example.org': 'www.example.com',
      'api.example.com': 'api.example.com',
      'API.Example.com': 'api.example.com',
      'x.apps.example.com': '*.apps.example.com',
      'a.b.apps.example.com': 'www.example.com', // a wildcard stands for one label only
      'apps.example.com': 'www.example.com',
    };
    for (const [servername, cn] of Object.entries(picks)) {
      const answer = await httpsRequest(VIP, port, { servername, ca: pki.ca });
      assert.equal(answer.servedCn, cn, `SNI '${servername}'`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'member');
    }
    await provider.remove(lb.id);
  });

  it('drops a client that speaks plain HTTP or resets mid-handshake, and serves the next', async () => {
    const { port, lb } = await serve({});
    assert.equal(await tcpExchange(VIP, port, 'GET / HTTP/1.1\r\nhost: x\r\n\r\n', { ms: 2000 }), '');
    await new Promise<void>((resolve) => {
      const raw = net.connect({ host: VIP, port }, () => {
        const client = tls.connect({ socket: raw, rejectUnauthorized: false });
        client.on('error', () => {});
        // Reset as soon as the ClientHello is out, before the handshake completes.
        setImmediate(() => raw.resetAndDestroy());
      });
      raw.on('error', () => {});
      raw.once('close', () => resolve());
    });
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca })).status, 200);
    await provider.remove(lb.id);
  });

  it('closes a TLS client idle for timeout_client_data', async () => {
    const timeouts = { clientData: 300, memberConnect: 5000, memberData: 50000, tcpInspect: 0 };
    const { port, lb } = await serve({}, { timeouts });
    const closed = await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: VIP, port, ca: pki.ca, checkServerIdentity: () => undefined });
      socket.on('error', () => {});
      // Bounded: the test fails rather than hangs if the server never closes.
      const limit = setTimeout(() => resolve(false), 10_000);
      socket.once('close', () => {
        clearTimeout(limit);
        resolve(true);
      });
    });
    assert.equal(closed, true);
    await provider.remove(lb.id);
  });

  it('negotiates h2 by ALPN when the client offers it, http/1.1 when it offers only that', async () => {
    const { port, lb } = await serve({ alpnProtocols: ['h2', 'http/1.1', 'http/1.0'] });
    assert.equal(await negotiatedAlpn(VIP, port, pki.ca, ['h2', 'http/1.1']), 'h2');
    const answer = await httpsRequest(VIP, port, { alpn: ['http/1.1'], ca: pki.ca });
    assert.equal(answer.alpn, 'http/1.1');
    assert.equal(answer.status, 200);
    await provider.remove(lb.id);
    const http1 = await serve({ alpnProtocols: ['http/1.1', 'http/1.0'] });
    assert.equal(await negotiatedAlpn(VIP, http1.port, pki.ca, ['h2', 'http/1.1']), 'http/1.1');
    await provider.remove(http1.lb.id);
  });

  it('serves only the listed tls_versions', async () => {
    const { port, lb } = await serve({ versions: ['TLSv1.3'] });
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca })).status, 200);
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca, maxVersion: 'TLSv1.2' }));
    await provider.remove(lb.id);
  });

  it('serves only tls_ciphers for TLS 1.2 and keeps the TLS 1.3 suites', async () => {
    const { port, lb } = await serve({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    const handshake = (options: tls.ConnectionOptions) =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect(
          { host: VIP, port, ca: pki.ca, checkServerIdentity: () => undefined, ...options },
          () => {
            resolve(socket.getCipher().name);
            socket.destroy();
          },
        );
        socket.once('error', reject);
      });
    assert.equal(await handshake({ maxVersion: 'TLSv1.2' }), 'ECDHE-RSA-AES128-GCM-SHA256');
    await assert.rejects(handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' }));
    assert.match(await handshake({}), /^TLS_/);
    await provider.remove(lb.id);
  });

  it('adds the exact HSTS header to member responses and tells the member X-Forwarded-Proto https', async () => {
    const hsts = { maxAge: 100, includeSubdomains: true, preload: true };
    const { port, lb } = await serve({ hsts }, { insertHeaders: { 'X-Forwarded-Proto': 'true' } });
    const before = backend.seen.length;
    const answer = await httpsRequest(VIP, port, { ca: pki.ca });
    assert.equal(answer.headers['strict-transport-security'], 'max-age=100; includeSubDomains; preload;');
    assert.equal(backend.seen[before]['x-forwarded-proto'], 'https');
    await provider.remove(lb.id);
    const plain = await serve({});
    assert.equal(
      (await httpsRequest(VIP, plain.port, { ca: pki.ca })).headers['strict-transport-security'],
      undefined,
    );
    await provider.remove(plain.lb.id);
  });

  const ALL_SSL_HEADERS = {
    'X-SSL-Client-Verify': 'true',
    'X-SSL-Client-Has-Cert': 'true',
    'X-SSL-Client-DN': 'true',
    'X-SSL-Client-CN': 'true',
    'X-SSL-Issuer': 'true',
    'X-SSL-Client-SHA1': 'true',
    'X-SSL-Client-Not-Before': 'true',
    'X-SSL-Client-Not-After': 'true',
  };

  it('under MANDATORY refuses a client without a certificate, a revoked one and a foreign one', async () => {
    const tls = {
      clientAuthentication: 'MANDATORY',
      material: material({ clientCa: pki.ca, clientCrl: crl }),
    };
    const { port, lb } = await serve(tls, { insertHeaders: ALL_SSL_HEADERS });
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca }));
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca, client: mallory }));
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca, client: stranger }));
    const before = backend.seen.length;
    const answer = await httpsRequest(VIP, port, { ca: pki.ca, client: alice });
    assert.equal(answer.status, 200);
    const seen = backend.seen[before];
    const x509 = new X509Certificate(alice.certificate);
    assert.equal(seen['x-ssl-client-verify'], '0');
    assert.equal(seen['x-ssl-client-has-cert'], '1');
    assert.equal(seen['x-ssl-client-dn'], '/CN=alice');
    assert.equal(seen['x-ssl-client-cn'], 'alice');
    assert.equal(seen['x-ssl-issuer'], '/CN=Sluice Test CA');
    assert.equal(seen['x-ssl-client-sha1'], x509.fingerprint.replaceAll(':', ''));
    assert.match(String(seen['x-ssl-client-not-before']), /^\d{12}Z$/);
    assert.equal(seen['x-ssl-client-not-before'], asn1Time(x509.validFromDate));
    assert.equal(seen['x-ssl-client-not-after'], asn1Time(x509.validToDate));
    await provider.remove(lb.id);
    // It is the CRL that refuses mallory: without it, the same certificate is admitted.
    const noCrl = await serve({
      clientAuthentication: 'MANDATORY',
      material: material({ clientCa: pki.ca }),
    });
    assert.equal((await httpsRequest(VIP, noCrl.port, { ca: pki.ca, client: mallory })).status, 200);
    await provider.remove(noCrl.lb.id);
  });

  it('under OPTIONAL admits a client without a certificate but refuses a revoked or foreign one', async () => {
    const tls = {
      clientAuthentication: 'OPTIONAL',
      material: material({ clientCa: pki.ca, clientCrl: crl }),
    };
    const { port, lb } = await serve(tls, { insertHeaders: ALL_SSL_HEADERS });
    const before = backend.seen.length;
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca })).status, 200);
    const seen = backend.seen[before];
    assert.equal(seen['x-ssl-client-has-cert'], '0');
    assert.equal(seen['x-ssl-client-verify'], '0');
    assert.equal(seen['x-ssl-client-dn'], '');
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca, client: mallory }));
    await assert.rejects(httpsRequest(VIP, port, { ca: pki.ca, client: stranger }));
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca, client: alice })).status, 200);
    await provider.remove(lb.id);
  });

  it('routes by the client certificate with SSL L7 rules', async () => {
    const tls = { clientAuthentication: 'OPTIONAL', material: material({ clientCa: pki.ca }) };
    const hasCert = build.rule('r-has-cert', {
      type: 'SSL_CONN_HAS_CERT',
      compareType: 'EQUAL_TO',
      value: 'True',
      invert: true,
    });
    const notAlice = build.rule('r-cn', {
      type: 'SSL_DN_FIELD',
      compareType: 'EQUAL_TO',
      key: 'CN',
      value: 'alice',
      invert: true,
    });
    const policies = [
      build.policy('p-no-cert', [hasCert], { action: 'REJECT', position: 1 }),
      build.policy('p-not-alice', [notAlice], {
        action: 'REDIRECT_TO_URL',
        redirectUrl: 'https://elsewhere/',
        position: 2,
      }),
    ];
    const { port, lb } = await serve(tls, { l7policies: policies });
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca })).status, 403);
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca, client: alice })).status, 200);
    const other = await pki.client('bob');
    assert.equal((await httpsRequest(VIP, port, { ca: pki.ca, client: other })).status, 302);
    await provider.remove(lb.id);
  });

  it('rotates the certificate for new handshakes while an established keep-alive connection goes on', async () => {
    const { port, lb, l, p } = await serve({});
    const serialOf = (socket: tls.TLSSocket) =>
      new X509Certificate(socket.getPeerCertificate().raw).serialNumber;
    const open = () =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const socket = tls.connect(
          { host: VIP, port, ca: pki.ca, checkServerIdentity: () => undefined },
          () => resolve(socket),
        );
        socket.once('error', reject);
      });
    const established = await open();
    assert.equal(serialOf(established), new X509Certificate(main.certificate).serialNumber);
    assert.deepEqual(await getOn(established), { status: 200, body: 'member' });
    const renewed = await pki.server(['www.example.com']);
    const rotated = {
      ...l,
      tls: { ...l.tls, material: material({ defaultCertificate: pemOf(renewed, ['www.example.com']) }) },
    };
    await provider.apply({ ...lb, revision: revision++, listeners: [rotated], pools: [p] });
    // The established connection keeps being served on the same socket.
    for (let i = 0; i < 3; i++) assert.deepEqual(await getOn(established), { status: 200, body: 'member' });
    const fresh = await open();
    assert.equal(serialOf(fresh), new X509Certificate(renewed.certificate).serialNumber);
    assert.deepEqual(await getOn(fresh), { status: 200, body: 'member' });
    established.destroy();
    fresh.destroy();
    await provider.remove(lb.id);
  });

  it('keeps its TLS server (sessions resume) across an apply that changes nothing of the TLS side', async () => {
    const { port, lb, l, p } = await serve({});
    const connect = (session?: Buffer) =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const socket = tls.connect(
          {
            host: VIP,
            port,
            ca: pki.ca,
            checkServerIdentity: () => undefined,
            session,
            maxVersion: 'TLSv1.2',
          },
          () => resolve(socket),
        );
        socket.once('error', reject);
      });
    const first = await connect();
    await getOn(first);
    const session = first.getSession();
    first.destroy();
    assert.ok(session);
    await provider.apply({
      ...lb,
      revision: revision++,
      listeners: [{ ...l, connectionLimit: 100 }],
      pools: [p],
    });
    const resumed = await connect(session);
    assert.equal(resumed.isSessionReused(), true);
    resumed.destroy();
    const renewed = await pki.server(['www.example.com']);
    const rotated = {
      ...l,
      tls: { ...l.tls, material: material({ defaultCertificate: pemOf(renewed, ['www.example.com']) }) },
    };
    await provider.apply({ ...lb, revision: revision++, listeners: [rotated], pools: [p] });
    const afterRotation = await connect(session);
    assert.equal(afterRotation.isSessionReused(), false);
    afterRotation.destroy();
    await provider.remove(lb.id);
  });
});
