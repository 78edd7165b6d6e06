import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { test } from 'node:test';
import {
  closeServer,
  healthMonitor,
  listenOn,
  NO_OPENSSL,
  selfSignedCertificate,
} from './health-test-fixtures.ts';
import { httpsCheck } from './https-check.ts';

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
