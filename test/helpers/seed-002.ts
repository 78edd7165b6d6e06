// Helpers of the seed-002 end-to-end tests (issue #6): the real `neutron` CLI as the admin of a running
// `sluice serve`, member HTTP servers on fixed 127.88.x.y addresses that can stop and start again on the same
// port, and bounded traffic probes (every loop is bounded in count and time; traffic stays in 127/8).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { promisify } from 'node:util';
import { type ClientCli, clientCli } from './openstack-cli.ts';

const run = promisify(execFile);

export const neutronMissing: string | false = await run('neutron', ['--version']).then(
  () => false,
  () => 'the neutron client is not installed (apt-get install python3-neutronclient)',
);

/** Port 80 as in the seed when this process may bind it, else an unprivileged one. */
export const VIP_PORT = (() => {
  if (process.getuid?.() === 0) return 80;
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) <= 80
      ? 80
      : 18080;
  } catch {
    return 18080;
  }
})();

export type NeutronCli = ClientCli;

export function neutronCli(url: string, password: string): NeutronCli {
  return clientCli('neutron', url, password, 60_000);
}

/** A member: an HTTP server on a fixed address and port answering its own name; stop() and start() again. */
export type Member = { address: string; port: number; start(): Promise<void>; stop(): Promise<void> };

export async function member(address: string, port: number): Promise<Member> {
  let server: http.Server | undefined;
  const m: Member = {
    address,
    port,
    async start() {
      server = http.createServer((_request, response) => response.end(address));
      server.keepAliveTimeout = 500;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, address, () => resolve());
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await m.start();
  return m;
}

/** One GET on a fresh connection (bounded to 3 s): the answering member, or an error text. */
export async function answer(address: string, port: number): Promise<string> {
  try {
    const response = await fetch(`http://${address}:${port}/`, {
      signal: AbortSignal.timeout(3000),
      headers: { connection: 'close' },
    });
    const text = await response.text();
    return response.status === 200 ? text : `HTTP ${response.status}`;
  } catch (error) {
    return `error: ${(error as Error).cause ?? (error as Error).message}`;
  }
}

export async function answers(address: string, port: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(await answer(address, port));
  return out;
}

/** Polls `probe` every 250 ms until it returns true, at most `ms`; the last value explains a failure. */
export async function eventually<T>(
  ms: number,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}

/** Both members answer, alternating (round robin): every two consecutive answers differ. */
export const roundRobin = (seen: readonly string[], a: string, b: string): boolean =>
  seen.every((s) => s === a || s === b) && seen.every((s, i) => i === 0 || s !== seen[i - 1]);
