// PROXY v2 headers behind TLS termination carry HAProxy's ALPN and SSL TLVs (send-proxy-v2-ssl-cn).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestPki, opensslMissing, type TestPki } from '../../../../test/helpers/test-pki.ts';
import * as build from '../../desired-test-builders.ts';
import { NativeProvider } from '../native-provider.ts';
import { freePort, listener, loadBalancer, member, pool } from '../native-test-fixtures.ts';
import { httpsRequest, pemOf } from './tls-test-fixtures.ts';

const VIP = '127.0.20.33';

/** TLV bytes: type, 16-bit length, value. */
const tlv = (type: number, value: Buffer) =>
  Buffer.concat([Buffer.from([type, value.length >> 8, value.length & 0xff]), value]);

describe('PROXY v2 behind TERMINATED_HTTPS', { skip: opensslMissing }, () => {
  const provider = new NativeProvider();
  let pki: TestPki;
  let heads: Buffer[];
  let memberServer: net.Server;
  before(async () => {
    pki = await createTestPki();
    heads = [];
    // Keeps the bytes before the request line (the PROXY header) and answers 200.
    memberServer = net.createServer((socket) => {
      let seen = Buffer.alloc(0);
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        seen = Buffer.concat([seen, chunk]);
        const start = seen.indexOf('GET ');
        if (start < 0 || !seen.includes('\r\n\r\n')) return;
        heads.push(seen.subarray(0, start));
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => memberServer.listen(0, '127.0.11.33', resolve));
  });
  after(async () => {
    await provider.close();
    await new Promise<void>((resolve) => memberServer.close(() => resolve()));
    await pki.remove();
  });

  it('adds ALPN, then SSL with client flags, verify, TLS version and the client certificate CN', async () => {
    const front = await pki.server(['www.example.com']);
    const alice = await pki.client('alice');
    const { port: memberPort } = memberServer.address() as net.AddressInfo;
    const p = pool([member('127.0.11.33', memberPort)], { protocol: 'PROXYV2' });
    const port = await freePort(VIP);
    const material = {
      defaultCertificate: pemOf(front, ['www.example.com']),
      sniCertificates: [],
      clientCa: pki.ca,
      clientCrl: null,
    };
    const tls = { ...build.listener('x', port).tls, material, clientAuthentication: 'OPTIONAL' };
    const l = listener(port, { protocol: 'TERMINATED_HTTPS', defaultPoolId: p.id, tls });
    const lb = loadBalancer(VIP, [l], [p]);
    await provider.apply(lb);
    const answer = await httpsRequest(VIP, port, {
      ca: pki.ca,
      client: alice,
      alpn: ['http/1.1'],
      maxVersion: 'TLSv1.3',
    });
    assert.equal(answer.status, 200);
    const head = heads.at(-1) as Buffer;
    const tlvs = head.subarray(16 + 12);
    assert.equal(head.readUInt16BE(14), 12 + tlvs.length);
    const ssl = Buffer.concat([
      Buffer.from([0x07, 0, 0, 0, 0]), // PP2_CLIENT_SSL | CERT_CONN | CERT_SESS, verify 0
      tlv(0x21, Buffer.from('TLSv1.3')),
      tlv(0x22, Buffer.from('alice')),
    ]);
    assert.deepEqual(tlvs, Buffer.concat([tlv(0x01, Buffer.from('http/1.1')), tlv(0x20, ssl)]));
    // Without a client certificate: only the SSL flag, no CN.
    await httpsRequest(VIP, port, { ca: pki.ca, alpn: ['http/1.1'] });
    const plain = (heads.at(-1) as Buffer).subarray(16 + 12);
    const noCert = Buffer.concat([Buffer.from([0x01, 0, 0, 0, 0]), tlv(0x21, Buffer.from('TLSv1.3'))]);
    assert.deepEqual(plain, Buffer.concat([tlv(0x01, Buffer.from('http/1.1')), tlv(0x20, noCert)]));
    await provider.remove(lb.id);
  });
});
