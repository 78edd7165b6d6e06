// Test fixtures for the haproxy provider: desired-state builders with Octavia's defaults and explicit ids (golden
// files need stable names), HTTP backends answering with their name, a bounded HTTP client, and the skip reason
// when the haproxy binary is missing.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { haproxyAvailable } from './haproxy-available.ts';

export const HAPROXY = process.env.SLUICE_HAPROXY_BINARY ?? '/usr/sbin/haproxy';
/** `false` when haproxy runs here, else the reason node:test prints for the skipped test. */
export const skipWithoutHaproxy: false | string = haproxyAvailable(HAPROXY)
  ? false
  : `haproxy binary not found or not runnable at ${HAPROXY} (install Debian's haproxy package)`;

/** Runs `haproxy -c -f <file>`; returns its exit status and combined output. */
export function haproxyCheck(file: string): { ok: boolean; output: string } {
  const result = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8', timeout: 10_000 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export { listener, loadBalancer, member, monitor, policy, pool, rule } from '../desired-test-builders.ts';

export type Backend = { name: string; address: string; port: number; hits: number; close(): Promise<void> };

/**
 * An HTTP server on `address` that answers every request with its name; with `appCookie` it also sets that
 * cookie (`<name>-<n>`) on responses to requests that do not carry it, like an application server's session.
 */
export async function httpBackend(name: string, address: string, appCookie?: string): Promise<Backend> {
  const backend: Backend = { name, address, port: 0, hits: 0, close: async () => {} };
  const server = http.createServer((request, response) => {
    backend.hits += 1;
    if (appCookie && !(request.headers.cookie ?? '').includes(`${appCookie}=`)) {
      response.setHeader('set-cookie', `${appCookie}=${name}-${backend.hits}; path=/`);
    }
    request.resume();
    response.end(name);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  backend.port = (server.address() as net.AddressInfo).port;
  backend.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend;
}

export type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders };

/** One GET on a fresh connection, bounded to 5 s (over TLS with `tls` options); rejects on any transport error. */
export function get(
  host: string,
  port: number,
  path = '/',
  options: { headers?: http.OutgoingHttpHeaders; localAddress?: string; tls?: https.RequestOptions } = {},
): Promise<Answer> {
  const { tls, ...plain } = options;
  const client = tls ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get({ host, port, path, agent: false, ...plain, ...tls }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
  });
}

/** A TCP port that was free on `address` a moment ago (listeners need a fixed protocol_port). */
export async function freePort(address: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `read` every 50 ms until `done` holds or `ms` passed; returns the last value. */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(50);
    value = await read();
  }
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
