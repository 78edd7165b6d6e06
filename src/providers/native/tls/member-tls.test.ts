// Pools with tls_enabled by real handshakes: the engine re-encrypts to TLS members with the pool's client
// certificate, verifies them against the pool's CA and CRL (or not at all without a CA), reuses kept-alive
// TLS connections, passes the client's SNI name on, and splices TCP sessions over TLS.
import assert from 'node:assert/strict';
import https from 'node:https';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';
import type { DesiredPool } from '../../../model/desired-state.ts';
import type { PoolTlsMaterial } from '../../../model/tls-material.ts';
import * as build from '../../desired-test-builders.ts';
import { NativeProvider } from '../native-provider.ts';
import {
  freePort,
  listener,
  loadBalancer,
  member,
  pool,
  request,
  tcpExchange,
} from '../native-test-fixtures.ts';
import { httpsRequest, pemOf } from './tls-test-fixtures.ts';

const VIP = '127.0.20.32';
const MEMBER = '127.0.11.32';

type TlsMember = {
  port: number;
  handshakes: number;
  servernames: (string | false)[];
  close(): Promise<void>;
};

/** An HTTPS member that requires a client certificate of `ca` and answers with the client's CN. */
async function httpsMember(cert: IssuedCertificate, ca: string): Promise<TlsMember> {
  const state = { handshakes: 0, servernames: [] as (string | false)[] };
  const server = https.createServer(
    { cert: cert.certificate, key: cert.privateKey, ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const socket = req.socket as tls.TLSSocket;
      req.resume();
      res.end(`cn=${socket.getPeerCertificate().subject?.CN}`);
    },
  );
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    state.handshakes++;
    state.servernames.push(socket.servername ?? false);
  });
  await new Promise<void>((resolve) => server.listen(0, MEMBER, resolve));
  const { port } = server.address() as net.AddressInfo;
  return Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

describe('native provider, pools with tls_enabled', { skip: opensslMissing }, () => {
  const provider = new NativeProvider();
  let pki: TestPki;
  let otherPki: TestPki;
  let proxyClient: IssuedCertificate;
  let member1: TlsMember;
  let memberCert: IssuedCertificate;
  let revision = 1;

  before(async () => {
    pki = await createTestPki();
    otherPki = await createTestPki();
    proxyClient = await pki.client('sluice-proxy');
    memberCert = await pki.server(['member.internal', 'www.example.com']);
    member1 = await httpsMember(memberCert, pki.ca);
  });
  after(async () => {
    await provider.close();
    await member1.close();
    await pki.remove();
    await otherPki.remove();
  });

  function tlsPool(port: number, material: Partial<PoolTlsMaterial>, extra: Partial<DesiredPool> = {}) {
    const base = build.pool('unused', []).tls;
    return pool([member(MEMBER, port)], {
      tls: {
        ...base,
        enabled: true,
        material: { clientCertificate: pemOf(proxyClient, []), ca: pki.ca, crl: null, ...material },
      },
      ...extra,
    });
  }

  async function serveHttp(p: DesiredPool) {
    const port = await freePort(VIP);
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p], { revision: revision++ });
    await provider.apply(lb);
    return { port, lb };
  }

  it('re-encrypts with the client certificate to a member its CA verifies, reusing the TLS connection', async () => {
    const { port, lb } = await serveHttp(tlsPool(member1.port, {}));
    const before = member1.handshakes;
    for (let i = 0; i < 3; i++) {
      const answer = await request(VIP, port);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'cn=sluice-proxy');
    }
    assert.equal(member1.handshakes - before, 1);
    assert.equal(member1.servernames.at(-1), false); // an HTTP listener has no SNI to pass on
    await provider.remove(lb.id);
  });

  it('answers 503 when the member certificate does not verify against the pool CA or is revoked', async () => {
    const foreign = await serveHttp(tlsPool(member1.port, { ca: otherPki.ca }));
    assert.equal((await request(VIP, foreign.port)).status, 503);
    await provider.remove(foreign.lb.id);
    const crl = await pki.crl([memberCert]);
    const revoked = await serveHttp(tlsPool(member1.port, { crl }));
    assert.equal((await request(VIP, revoked.port)).status, 503);
    await provider.remove(revoked.lb.id);
  });

  it('does not verify the member without a pool CA (Octavia: verify none)', async () => {
    const stranger = await otherPki.server(['stranger.internal']);
    const unverified = await httpsMember(stranger, pki.ca);
    const { port, lb } = await serveHttp(tlsPool(unverified.port, { ca: null }));
    assert.equal((await request(VIP, port)).body, 'cn=sluice-proxy');
    await provider.remove(lb.id);
    await unverified.close();
  });

  it("passes a TERMINATED_HTTPS client's SNI name on to the member (sni ssl_fc_sni)", async () => {
    const front = await pki.server(['www.example.com']);
    const p = tlsPool(member1.port, {});
    const port = await freePort(VIP);
    const base = build.listener('unused', port).tls;
    const material = {
      defaultCertificate: pemOf(front, ['www.example.com']),
      sniCertificates: [],
      clientCa: null,
      clientCrl: null,
    };
    const l = listener(port, {
      protocol: 'TERMINATED_HTTPS',
      defaultPoolId: p.id,
      tls: { ...base, material },
    });
    const lb = loadBalancer(VIP, [l], [p], { revision: revision++ });
    await provider.apply(lb);
    const answer = await httpsRequest(VIP, port, { servername: 'www.example.com', ca: pki.ca });
    assert.equal(answer.body, 'cn=sluice-proxy');
    assert.equal(member1.servernames.at(-1), 'www.example.com');
    await provider.remove(lb.id);
  });

  it('splices a TCP listener to a TLS member', async () => {
    const server = tls.createServer(
      { cert: memberCert.certificate, key: memberCert.privateKey },
      (socket) => {
        socket.on('error', () => socket.destroy());
        socket.write('tls-echo\n');
        socket.pipe(socket);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, MEMBER, resolve));
    const p = tlsPool(
      (server.address() as net.AddressInfo).port,
      { clientCertificate: null },
      { protocol: 'TCP' },
    );
    const port = await freePort(VIP);
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p], {
      revision: revision++,
    });
    await provider.apply(lb);
    assert.equal(await tcpExchange(VIP, port, 'ping\n', { ms: 1000 }), 'tls-echo\nping\n');
    await provider.remove(lb.id);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
