import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import {
  closeServer,
  healthMonitor,
  listenOn,
  NO_OPENSSL,
  selfSignedCertificate,
} from './health-test-fixtures.ts';
import { tlsHelloCheck } from './tls-hello-check.ts';

const credentials = await selfSignedCertificate();
const skip = credentials === undefined ? NO_OPENSSL : false;
const monitor = healthMonitor({ type: 'TLS-HELLO' });

test('a TLS-HELLO check is up when the member completes a TLS handshake', { skip }, async () => {
  const server = createTlsServer(credentials!, (socket) => socket.end());
  const port = await listenOn(server, '127.0.13.1');
  try {
    assert.equal(
      await tlsHelloCheck({ address: '127.0.13.1', port }, monitor, AbortSignal.timeout(5000)),
      true,
    );
  } finally {
    await closeServer(server);
  }
});

test('a TLS-HELLO check is up when the member answers the hello and then refuses it with an alert', {
  skip,
}, async () => {
  // Under TLS 1.2 the server rejects the missing client certificate inside the handshake, with an alert.
  const options = {
    ...credentials!,
    requestCert: true,
    rejectUnauthorized: true,
    maxVersion: 'TLSv1.2' as const,
  };
  const server = createTlsServer(options);
  server.on('tlsClientError', () => {});
  const port = await listenOn(server, '127.0.13.2');
  try {
    assert.equal(
      await tlsHelloCheck({ address: '127.0.13.2', port }, monitor, AbortSignal.timeout(5000)),
      true,
    );
  } finally {
    await closeServer(server);
  }
});

test('a TLS-HELLO check is down when the member answers without TLS', async () => {
  const server = createTcpServer((socket) => socket.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  const port = await listenOn(server, '127.0.13.3');
  try {
    assert.equal(
      await tlsHelloCheck({ address: '127.0.13.3', port }, monitor, AbortSignal.timeout(5000)),
      false,
    );
  } finally {
    await closeServer(server);
  }
});

test('a TLS-HELLO check is down when the connection is refused', async () => {
  const server = createTcpServer();
  const port = await listenOn(server, '127.0.13.4');
  await closeServer(server);
  assert.equal(
    await tlsHelloCheck({ address: '127.0.13.4', port }, monitor, AbortSignal.timeout(5000)),
    false,
  );
});
