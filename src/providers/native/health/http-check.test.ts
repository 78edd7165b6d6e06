import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, test } from 'node:test';
import type { DesiredHealthMonitor } from '../../../model/desired-state.ts';
import { closeServer, healthMonitor, listenOn } from './health-test-fixtures.ts';
import { httpCheck } from './http-check.ts';

const ADDRESS = '127.0.11.1';
const STATUS_BY_PATH: Readonly<Record<string, number>> = { '/health': 200, '/accepted': 202, '/empty': 204 };
const seen: IncomingMessage[] = [];
const server = createHttpServer((request, response) => {
  seen.push(request);
  response.statusCode = STATUS_BY_PATH[request.url ?? ''] ?? 404;
  response.end();
});
let port = 0;

before(async () => {
  port = await listenOn(server, ADDRESS);
});
after(() => closeServer(server));

function check(overrides: Partial<DesiredHealthMonitor>): Promise<boolean> {
  const monitor = healthMonitor({ type: 'HTTP', ...overrides });
  return httpCheck({ address: ADDRESS, port }, monitor, new AbortController().signal);
}

test('an HTTP check is up when the path answers the default expected code 200', async () => {
  assert.equal(await check({ urlPath: '/health' }), true);
});

test('an HTTP check is down when the path answers a code that is not expected', async () => {
  assert.equal(await check({ urlPath: '/missing' }), false);
  assert.equal(await check({ urlPath: '/accepted', expectedCodes: '200' }), false);
});

test('an HTTP check accepts any code of an expected-codes list', async () => {
  assert.equal(await check({ urlPath: '/accepted', expectedCodes: '200,202' }), true);
});

test('an HTTP check accepts any code of an expected-codes range', async () => {
  assert.equal(await check({ urlPath: '/empty', expectedCodes: '200-204' }), true);
  assert.equal(await check({ urlPath: '/missing', expectedCodes: '200-204' }), false);
});

test('an HTTP check sends HTTP/1.0 GET / without a Host header by default, like HAProxy httpchk', async () => {
  seen.length = 0;
  assert.equal(await check({ urlPath: null }), false);
  assert.equal(seen[0]?.method, 'GET');
  assert.equal(seen[0]?.url, '/');
  assert.equal(seen[0]?.httpVersion, '1.0');
  assert.equal(seen[0]?.headers.host, undefined);
});

test('an HTTP check sends the monitor method, HTTP version and domain name as Host', async () => {
  seen.length = 0;
  const up = await check({
    urlPath: '/health',
    httpMethod: 'HEAD',
    httpVersion: 1.1,
    domainName: 'app.example',
  });
  assert.equal(up, true);
  assert.equal(seen[0]?.method, 'HEAD');
  assert.equal(seen[0]?.httpVersion, '1.1');
  assert.equal(seen[0]?.headers.host, 'app.example');
});

test('an HTTP/1.1 check without a domain name sends the member address as Host', async () => {
  seen.length = 0;
  assert.equal(await check({ urlPath: '/health', httpVersion: 1.1 }), true);
  assert.equal(seen[0]?.headers.host, `${ADDRESS}:${port}`);
});

test('an HTTP check is down when the connection is refused', async () => {
  const closed = createTcpServer();
  const closedPort = await listenOn(closed, '127.0.11.2');
  await closeServer(closed);
  const monitor = healthMonitor({ type: 'HTTP' });
  assert.equal(
    await httpCheck({ address: '127.0.11.2', port: closedPort }, monitor, AbortSignal.timeout(5000)),
    false,
  );
});

test('an HTTP check is down after its timeout when the member never answers', async () => {
  // It reads (and so sees the probe hang up) but never answers.
  const silent = createTcpServer((socket) => socket.resume().on('error', () => {}));
  const silentPort = await listenOn(silent, '127.0.11.3');
  try {
    const started = performance.now();
    const monitor = healthMonitor({ type: 'HTTP', timeout: 1 });
    assert.equal(
      await httpCheck({ address: '127.0.11.3', port: silentPort }, monitor, AbortSignal.timeout(10_000)),
      false,
    );
    // Generous bound: the point is that the timeout ends the check, not how precisely.
    assert.ok(performance.now() - started < 5000);
  } finally {
    await closeServer(silent);
  }
});

test('an HTTP check is down when the member does not speak HTTP', async () => {
  const garbage = createTcpServer((socket) => socket.resume().end('SSH-2.0-OpenSSH\r\n'));
  const garbagePort = await listenOn(garbage, '127.0.11.4');
  try {
    const monitor = healthMonitor({ type: 'HTTP' });
    assert.equal(
      await httpCheck({ address: '127.0.11.4', port: garbagePort }, monitor, AbortSignal.timeout(5000)),
      false,
    );
  } finally {
    await closeServer(garbage);
  }
});
