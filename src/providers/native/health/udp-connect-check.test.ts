import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { test } from 'node:test';
import { healthMonitor } from './health-test-fixtures.ts';
import { udpConnectCheck } from './udp-connect-check.ts';

const monitor = healthMonitor({ type: 'UDP-CONNECT', timeout: 1 });

async function bound(address: string): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { socket, port: socket.address().port };
}

const close = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));

test('a UDP-CONNECT check is up when the member port is bound and stays silent', async () => {
  const { socket, port } = await bound('127.0.14.1');
  try {
    assert.equal(
      await udpConnectCheck({ address: '127.0.14.1', port }, monitor, AbortSignal.timeout(5000)),
      true,
    );
  } finally {
    await close(socket);
  }
});

test('a UDP-CONNECT check is up as soon as the member answers', async () => {
  const { socket, port } = await bound('127.0.14.2');
  socket.on('message', (message, peer) => socket.send(message, peer.port, peer.address));
  try {
    const started = performance.now();
    assert.equal(
      await udpConnectCheck(
        { address: '127.0.14.2', port },
        healthMonitor({ type: 'UDP-CONNECT', timeout: 5 }),
        AbortSignal.timeout(10_000),
      ),
      true,
    );
    // Not a speed assertion: the answer, not the 5 s deadline of silence, must end the check.
    assert.ok(performance.now() - started < 4000);
  } finally {
    await close(socket);
  }
});

test('a UDP-CONNECT check is down when nothing is bound to the port (ICMP port unreachable)', async () => {
  const { socket, port } = await bound('127.0.14.3');
  await close(socket);
  assert.equal(
    await udpConnectCheck({ address: '127.0.14.3', port }, monitor, AbortSignal.timeout(5000)),
    false,
  );
});

test('a UDP-CONNECT check is down when aborted before its deadline', async () => {
  const { socket, port } = await bound('127.0.14.4');
  try {
    const signal = AbortSignal.timeout(100);
    assert.equal(await udpConnectCheck({ address: '127.0.14.4', port }, monitor, signal), false);
  } finally {
    await close(socket);
  }
});
