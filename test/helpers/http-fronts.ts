// Proxies in front of test members, for differential HTTP tests: a native HTTP listener (the real native
// provider) and a real HAProxy with the minimal `mode http` configuration the haproxy provider renders, and a
// recording tap that keeps the exact bytes a member receives on each connection.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HAPROXY } from '../../src/providers/haproxy/haproxy-test-fixtures.ts';
import { NativeProvider } from '../../src/providers/native/native-provider.ts';
import {
  freePort,
  listener,
  loadBalancer,
  member,
  pool,
} from '../../src/providers/native/native-test-fixtures.ts';

export type Address = Readonly<{ host: string; port: number }>;
/** A proxy listening on `ports[i]` of `host` for the i-th member it was given. */
export type Front = Readonly<{
  name: string;
  host: string;
  ports: readonly number[];
  close(): Promise<void>;
}>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One native load balancer on `vip` with one HTTP listener per member. */
export async function nativeFront(vip: string, members: readonly Address[]): Promise<Front> {
  const provider = new NativeProvider();
  const ports: number[] = [];
  const pools = members.map((m) => pool([member(m.host, m.port)]));
  const listeners = [];
  for (const p of pools) {
    const port = await freePort(vip);
    ports.push(port);
    listeners.push(listener(port, { defaultPoolId: p.id }));
  }
  await provider.apply(loadBalancer(vip, listeners, pools));
  return { name: 'native', host: vip, ports, close: () => provider.close() };
}

/**
 * One HAProxy (`-db`, foreground) with a frontend per member, configured like the haproxy provider's render
 * of an HTTP listener (test/golden/haproxy/http-basic.cfg): keep-alive, forwardfor, `http-reuse safe`.
 */
export async function haproxyFront(vip: string, members: readonly Address[]): Promise<Front> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-front-'));
  const ports: number[] = [];
  let config =
    'defaults\n    mode http\n    retries 3\n    option redispatch\n    option http-keep-alive\n' +
    '    timeout connect 5000\n    timeout client 50000\n    timeout server 50000\n';
  for (const [i, m] of members.entries()) {
    const port = await freePort(vip);
    ports.push(port);
    config +=
      `frontend f${i}\n    bind ${vip}:${port}\n    option idle-close-on-response\n    option forwardfor\n` +
      `    default_backend b${i}\nbackend b${i}\n    http-reuse safe\n    server m ${m.host}:${m.port}\n`;
  }
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', file], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const port of ports) {
    if (!(await accepting(vip, port, 5000))) {
      await close();
      throw new Error(`haproxy did not listen on ${vip}:${port}`);
    }
  }
  return { name: 'haproxy', host: vip, ports, close };
}

/** Polls until `host:port` accepts a connection, at most `ms`. */
async function accepting(host: string, port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(50);
  }
  return false;
}

/**
 * A member address that records the bytes each connection brings, then passes them on to `target` (and
 * its answers back): what a proxy sent, byte for byte, while a real server answers.
 */
export class RecordingTap {
  readonly #server: net.Server;
  readonly #received: Buffer[][] = [];
  readonly #live = new Set<net.Socket>();
  #lastData = 0;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(host: string, target: Address): Promise<RecordingTap & Address> {
    const server = net.createServer();
    const tap = new RecordingTap(server);
    server.on('connection', (socket) => tap.#relay(socket, target));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as net.AddressInfo;
    return Object.assign(tap, { host, port });
  }

  #relay(socket: net.Socket, target: Address): void {
    const chunks: Buffer[] = [];
    this.#received.push(chunks);
    const upstream = net.connect(target.port, target.host);
    this.#live.add(socket);
    socket.on('close', () => this.#live.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      this.#lastData = Date.now();
    });
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  }

  /** A mark of how much every connection has received so far. */
  mark(): number[] {
    return this.#received.map((chunks) => chunks.reduce((n, c) => n + c.length, 0));
  }

  /** What each connection received since `mark` (connections that received nothing left out). */
  since(mark: readonly number[]): Buffer[] {
    const out: Buffer[] = [];
    for (const [i, chunks] of this.#received.entries()) {
      const bytes = Buffer.concat(chunks).subarray(mark[i] ?? 0);
      if (bytes.length > 0) out.push(bytes);
    }
    return out;
  }

  /** Resolves once no byte arrived for `quietMs` (at most 1 s): a proxy's writes have landed. */
  async settled(quietMs = 20): Promise<void> {
    const deadline = Date.now() + 1000;
    while (Date.now() - this.#lastData < quietMs && Date.now() < deadline) await sleep(quietMs);
  }

  close(): Promise<void> {
    for (const socket of this.#live) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
