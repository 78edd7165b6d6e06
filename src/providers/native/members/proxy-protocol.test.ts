// PROXY protocol v1/v2 encoding, and the headers PROXY / PROXYV2 pool members receive.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
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
import { PROXY_V2_SIGNATURE, proxyHeaderV1, proxyHeaderV2 } from './proxy-protocol.ts';

const VIP = '127.0.20.8';

/** A member that records the raw bytes of each connection and answers like an HTTP server. */
async function recordingMember(address: string) {
  const connections: Buffer[] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    connections.push(Buffer.alloc(0));
    const index = connections.length - 1;
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      connections[index] = Buffer.concat(chunks);
      if (connections[index].includes('\r\n\r\n')) {
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address, port, connections, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('PROXY protocol headers', () => {
  it('encodes v1 as one text line and v2 with the signature, family and addresses', () => {
    const c = {
      sourceAddress: '::ffff:10.1.2.3',
      sourcePort: 40000,
      destinationAddress: '10.0.0.1',
      destinationPort: 80,
      transport: 'tcp' as const,
    };
    assert.equal(proxyHeaderV1(c).toString(), 'PROXY TCP4 10.1.2.3 10.0.0.1 40000 80\r\n');
    const v2 = proxyHeaderV2(c);
    assert.deepEqual(v2.subarray(0, 12), PROXY_V2_SIGNATURE);
    assert.deepEqual([...v2.subarray(12, 16)], [0x21, 0x11, 0, 12]);
    assert.deepEqual([...v2.subarray(16, 28)], [10, 1, 2, 3, 10, 0, 0, 1, 0x9c, 0x40, 0, 80]);
    const v6 = proxyHeaderV2({ ...c, sourceAddress: '2001:db8::1', destinationAddress: '::1' });
    assert.deepEqual([...v6.subarray(12, 16)], [0x21, 0x21, 0, 36]);
    assert.deepEqual([...v6.subarray(16, 20)], [0x20, 0x01, 0x0d, 0xb8]);
    assert.equal(v6[16 + 31], 1);
  });
});

describe('native provider, PROXY and PROXYV2 pools', () => {
  const provider = new NativeProvider();
  let backend: Awaited<ReturnType<typeof recordingMember>>;
  before(async () => {
    backend = await recordingMember('127.0.17.1');
  });
  after(async () => {
    await provider.close();
    await backend.close();
  });

  it('sends a v1 header with the client and VIP addresses before the client bytes (TCP listener)', async () => {
    const port = await freePort(VIP);
    const p = pool([member(backend.address, backend.port)], { protocol: 'PROXY' });
    const lb = loadBalancer(VIP, [listener(port, { protocol: 'TCP', defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    backend.connections.length = 0;
    await tcpExchange(VIP, port, 'GET / HTTP/1.1\r\n\r\n', { localAddress: '127.0.47.1' });
    const text = backend.connections[0].toString('latin1');
    assert.match(
      text,
      new RegExp(
        `^PROXY TCP4 127\\.0\\.47\\.1 127\\.0\\.20\\.8 \\d+ ${port}\\r\\nGET / HTTP/1\\.1\\r\\n\\r\\n$`,
      ),
    );
    await provider.remove(lb.id);
  });

  it('sends a v2 header to PROXYV2 members of an HTTP listener, one per member connection', async () => {
    const port = await freePort(VIP);
    const p = pool([member(backend.address, backend.port)], { protocol: 'PROXYV2' });
    const lb = loadBalancer(VIP, [listener(port, { defaultPoolId: p.id })], [p]);
    await provider.apply(lb);
    backend.connections.length = 0;
    const answer = await request(VIP, port, '/x', {}, { localAddress: '127.0.47.2' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'ok');
    const raw = backend.connections[0];
    assert.deepEqual(raw.subarray(0, 12), PROXY_V2_SIGNATURE);
    assert.deepEqual([...raw.subarray(16, 24)], [127, 0, 47, 2, 127, 0, 20, 8]);
    assert.equal(raw.readUInt16BE(26), port);
    assert.match(raw.subarray(28).toString('latin1'), /^GET \/x HTTP\/1\.1\r\n/);
    await provider.remove(lb.id);
  });
});
