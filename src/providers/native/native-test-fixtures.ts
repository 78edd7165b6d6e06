// Test fixtures for the native engine's tests: desired-state builders with Octavia's defaults, real
// backends (HTTP that answers with its name and what it saw, TCP that greets and echoes) and clients.
import http from 'node:http';
import net from 'node:net';
import type {
  DesiredListener,
  DesiredLoadBalancer,
  DesiredMember,
  DesiredPool,
} from '../../model/desired-state.ts';
import * as build from '../desired-test-builders.ts';
import type { HealthTracker } from './members/member-health-view.ts';

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${++sequence}`;

export const member = (address: string, port: number, extra: Partial<DesiredMember> = {}): DesiredMember =>
  build.member(nextId('member'), address, port, extra);

export const pool = (members: DesiredMember[], extra: Partial<DesiredPool> = {}): DesiredPool =>
  build.pool(nextId('pool'), members, extra);

export const listener = (port: number, extra: Partial<DesiredListener> = {}): DesiredListener =>
  build.listener(nextId('listener'), port, extra);

export const loadBalancer = (
  vip: string,
  listeners: DesiredListener[],
  pools: DesiredPool[],
  extra: Partial<DesiredLoadBalancer> = {},
): DesiredLoadBalancer => build.loadBalancer(nextId('lb'), vip, listeners, pools, extra);

/** A port that was free a moment ago on `address` (listeners need a fixed protocol_port). */
export async function freePort(address: string, type: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  if (type === 'udp') {
    const dgram = await import('node:dgram');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type Backend = {
  address: string;
  port: number;
  name: string;
  /** request headers (HTTP) of every request seen, in order */
  seen: http.IncomingHttpHeaders[];
  close(): Promise<void>;
};

/** An HTTP backend answering `<name>` with 200, and whatever `handler` adds. */
export async function httpBackend(
  address: string,
  name: string,
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<Backend> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    if (handler?.(req, res)) return;
    req.resume();
    req.on('end', () => res.end(name));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address, port, name, seen, close: () => closeServer(server) };
}

/** A TCP backend that sends `<name>\n` on connect, then echoes what it receives. */
export async function tcpBackend(address: string, name: string): Promise<Backend & { raw: Buffer[] }> {
  const raw: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.write(`${name}\n`);
    socket.on('data', (chunk) => raw.push(chunk));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address, port, name, seen: [], raw, close: () => closeServer(server) };
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (server instanceof http.Server) server.closeAllConnections();
  });
}

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request over a fresh connection (no keep-alive, so every request is a new client connection). */
export function request(
  host: string,
  port: number,
  path = '/',
  headers: http.OutgoingHttpHeaders = {},
  options: { method?: string; body?: string; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host, port, path, headers, agent: false, method: options.method, localAddress: options.localAddress },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a TCP connection, sends `payload`, and collects everything until the server closes or `ms`. */
export function tcpExchange(
  host: string,
  port: number,
  payload: string,
  options: { ms?: number; localAddress?: string } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, localAddress: options.localAddress });
    let text = '';
    const timer = setTimeout(() => socket.destroy(), options.ms ?? 300);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.write(payload);
  });
}

/** A health view tests drive by hand: members listed in `down` are down; `checked` ones report UP/DOWN. */
export class ManualHealth implements HealthTracker {
  readonly down = new Set<string>();
  checked = false;
  isUp(_poolId: string, memberId: string): boolean {
    return !this.down.has(memberId);
  }
  statusOf(_poolId: string, memberId: string): 'UP' | 'DOWN' | undefined {
    if (!this.checked) return undefined;
    return this.down.has(memberId) ? 'DOWN' : 'UP';
  }
  update(): void {}
  async close(): Promise<void> {}
}
