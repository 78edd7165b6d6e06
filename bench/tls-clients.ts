// The TLS clients of the TLS bench beside wrk (which resumes its sessions): `openssl s_time -new` for full
// handshakes, and a probe of how a server renews session tickets for a client that uses each ticket once.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { WrkResult } from './throughput-kit.ts';

const run = promisify(execFile);
const CLIENTS = 4;

/**
 * Full handshakes per second: `clients` × `openssl s_time -new -time 5 -www /` at once (each connection a new
 * session, one HTTP/1.0 GET, https://docs.openssl.org/3.0/man1/openssl-s_time/), their connections summed
 * over the wall time of them all. Bounded: 5 s of load, 30 s in all.
 */
export async function fullHandshakes(host: string, port: number, clients = CLIENTS): Promise<WrkResult> {
  const start = performance.now();
  const outputs = await Promise.all(
    Array.from({ length: clients }, () =>
      run('openssl', ['s_time', '-connect', `${host}:${port}`, '-new', '-time', '5', '-www', '/'], {
        timeout: 30_000,
      }).then(
        (r) => r.stdout,
        () => '',
      ),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  // "2144 connections in 5 real seconds, 85 bytes read per connection"
  const counts = outputs.map((o) =>
    Number(/(\d+) connections in \d+ real seconds/.exec(o)?.[1] ?? Number.NaN),
  );
  const requests = counts.filter((n) => !Number.isNaN(n)).reduce((sum, n) => sum + n, 0);
  return {
    rps: requests / seconds,
    p50: '-',
    p99: '-',
    requests,
    errors: counts.filter(Number.isNaN).length,
  };
}

/**
 * How many of `count` TLS connections in a row resumed, each offering the newest session ticket the ones
 * before it received, and each ticket offered once (what wrk does, and browsers: RFC 8446 §C.4). A server
 * that sends no new ticket after a resumption makes every other such connection a full handshake.
 */
export async function resumptions(
  host: string,
  port: number,
  ca: string,
  servername: string,
  count = 20,
): Promise<number> {
  let ticket: Buffer | undefined;
  let resumed = 0;
  for (let i = 0; i < count; i += 1) {
    const offered = ticket;
    ticket = undefined;
    resumed += await new Promise<number>((resolve, reject) => {
      let reused = 0;
      const socket = tls.connect({ host, port, ca, servername, session: offered }, () => {
        reused = socket.isSessionReused() ? 1 : 0;
        socket.write(`GET / HTTP/1.1\r\nhost: ${servername}\r\nconnection: close\r\n\r\n`);
      });
      // TLS 1.3 tickets come after the handshake: read until the server closes, then they have all arrived.
      socket.on('session', (session: Buffer) => {
        ticket = session;
      });
      socket.on('data', () => {});
      socket.setTimeout(5000, () => socket.destroy(new Error(`no answer from ${host}:${port} within 5 s`)));
      socket.on('error', reject);
      socket.on('close', () => resolve(reused));
    });
  }
  return resumed;
}
