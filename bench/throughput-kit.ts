// What the throughput benches share: one bounded wrk run (its summary read by test/helpers/wrk-run.ts), the
// rounds asked for, a hand-written HAProxy started from a config text, the members (nginx when installed,
// else a Node server), a logged-in API client that waits for ACTIVE, and the median/min/max of ratios.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { issueToken } from '../test/helpers/serve-process.ts';
import { parseWrk } from '../test/helpers/wrk-run.ts';

const run = promisify(execFile);

export type WrkResult = Readonly<{ rps: number; p50: string; p99: string; requests: number; errors: number }>;

/** `wrk -t1 -c<connections> -d5s --latency`: bounded to 5 s of load (and 30 s in all). */
export async function wrk(
  url: string,
  options: Readonly<{ connections?: number; headers?: readonly string[] }> = {},
): Promise<WrkResult> {
  const headers = (options.headers ?? []).flatMap((h) => ['-H', h]);
  const args = ['-t1', `-c${options.connections ?? 16}`, '-d5s', '--latency', ...headers, url];
  const { stdout } = await run('wrk', args, { timeout: 30_000 });
  const summary = parseWrk(stdout);
  const socket = summary.socketErrors;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50: /\s50%\s+(\S+)/.exec(stdout)?.[1] ?? '?',
    p99: /\s99%\s+(\S+)/.exec(stdout)?.[1] ?? '?',
    requests: summary.requests,
    errors: socket.connect + socket.read + socket.write + socket.timeout + summary.errorResponses,
  };
}

/** SLUICE_BENCH_ROUNDS: default 1, at most 9. */
export function benchRounds(): number {
  return Math.min(9, Math.max(1, Number(process.env.SLUICE_BENCH_ROUNDS ?? 1) || 1));
}

/** Whether the `haproxy` command runs here. */
export async function haproxyInstalled(): Promise<boolean> {
  return run('haproxy', ['-v']).then(
    () => true,
    () => false,
  );
}

/** Tries a TCP connection to `host:port` every 50 ms, at most `tries` times; true once one is accepted. */
export async function accepts(host: string, port: number, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A scratch directory for config and certificate files of one bench. */
export function benchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
}

/** Starts `haproxy -f` on `config` (written into `dir`) and waits until `host:port` accepts connections. */
export async function startHaproxy(
  dir: string,
  config: string,
  host: string,
  port: number,
): Promise<ChildProcess> {
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  const child = spawn('haproxy', ['-f', file], { stdio: 'ignore' });
  if (!(await accepts(host, port))) {
    child.kill();
    throw new Error(`the hand-written HAProxy did not listen on ${host}:${port} within 5 s`);
  }
  return child;
}

export type Member = Readonly<{ kind: string; address: string; port: number; stop: () => void }>;

async function member(kind: string, child: ChildProcess, address: string, port: number): Promise<Member> {
  if (!(await accepts(address, port))) {
    child.kill();
    throw new Error(`the member (${kind}) did not listen on ${address}:${port} within 5 s`);
  }
  return { kind, address, port, stop: () => child.kill() };
}

/** A Node http server in its own process answering `ok` to every request. */
export function nodeMember(address: string, port: number): Promise<Member> {
  const code = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '${address}')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  return member('a Node http server', child, address, port);
}

/** A fast member answering `ok` to every request: nginx (one worker, no access log), else nodeMember. */
export async function fastMember(dir: string, address: string, port: number): Promise<Member> {
  const nginx = await run('nginx', ['-v']).then(
    () => true,
    () => false,
  );
  if (!nginx) return nodeMember(address, port);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    file,
    `daemon off;\nworker_processes 1;\npid ${path.join(dir, 'nginx.pid')};\nerror_log stderr error;\n` +
      `events { worker_connections 4096; }\n` +
      `http {\n  access_log off;\n  keepalive_requests 1000000;\n` +
      `  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};\n` +
      `  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};\n` +
      `  server { listen ${address}:${port}; location / { return 200 'ok'; } }\n}\n`,
  );
  const child = spawn('nginx', ['-c', file, '-p', dir], { stdio: 'ignore' });
  return member('nginx (1 worker)', child, address, port);
}

/** An API answer: its top-level resource key, then that resource's fields. */
export type Wire = Record<string, Record<string, unknown>>;

export type BenchApi = Readonly<{
  /** an authenticated JSON call; throws on a status of 300 or more */
  call(method: string, url: string, body?: unknown): Promise<Wire>;
  /** the id of the public subnet, where VIPs are allocated */
  subnet: string;
  /** waits (at most `timeoutMs`, default 10 s, polling every `pollMs`, default 50) until the load balancer is ACTIVE */
  waitActive(id: string, pollMs?: number, timeoutMs?: number): Promise<void>;
}>;

/** Logs in to `sluice serve` at `url` as the admin. */
export async function benchApi(url: string, password: string): Promise<BenchApi> {
  const token = await issueToken(url, password);
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Wire;
  };
  const subnets = (await call('GET', '/v2.0/subnets?name=public-subnet')).subnets as unknown as {
    id: string;
  }[];
  const subnet = subnets[0].id;
  const waitActive = async (id: string, pollMs = 50, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const shown = await call('GET', `/v2/lbaas/loadbalancers/${id}`);
      if (shown.loadbalancer.provisioning_status === 'ACTIVE') return;
      if (shown.loadbalancer.provisioning_status === 'ERROR') throw new Error(`load balancer ${id} in ERROR`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new Error(`load balancer ${id} not ACTIVE within ${timeoutMs} ms`);
  };
  return { call, subnet, waitActive };
}

/** Median, min and max of per-round ratios, e.g. `median 0.93× (min 0.88, max 0.97)`. */
export function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${median(values).toFixed(2)}× (min ${sorted[0].toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)})`;
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Measures `targets` one after another, in reverse order on odd rounds so neither side always goes first. */
export async function alternating<T, R>(
  round: number,
  targets: readonly T[],
  measure: (target: T) => Promise<R>,
): Promise<Map<T, R>> {
  const order = round % 2 === 0 ? targets : [...targets].reverse();
  const figures = new Map<T, R>();
  for (const target of order) figures.set(target, await measure(target));
  return figures;
}
