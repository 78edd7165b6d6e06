import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { closeServer, healthMonitor, listenOn } from './health-test-fixtures.ts';
import { tcpCheck } from './tcp-check.ts';

test('a TCP check is up when the member accepts the connection', async () => {
  const server = createServer((socket) => socket.destroy());
  const port = await listenOn(server, '127.0.10.1');
  try {
    assert.equal(
      await tcpCheck({ address: '127.0.10.1', port }, healthMonitor(), new AbortController().signal),
      true,
    );
  } finally {
    await closeServer(server);
  }
});

test('a TCP check is down when the connection is refused', async () => {
  const server = createServer();
  const port = await listenOn(server, '127.0.10.2');
  await closeServer(server);
  assert.equal(
    await tcpCheck({ address: '127.0.10.2', port }, healthMonitor(), new AbortController().signal),
    false,
  );
});

test('a TCP check is down at once when its signal is already aborted', async () => {
  const server = createServer((socket) => socket.destroy());
  const port = await listenOn(server, '127.0.10.3');
  try {
    const aborted = AbortSignal.abort();
    assert.equal(await tcpCheck({ address: '127.0.10.3', port }, healthMonitor(), aborted), false);
  } finally {
    await closeServer(server);
  }
});
