// Real backend servers for the conformance suite, on their own 127.0.x.y addresses: HTTP servers that answer
// with their name and echo what the load balancer added, and a TCP echo server that prefixes its name.
// Also: a UDP echo server, a raw TCP server that records what each connection sent (PROXY headers), and
// clients that can choose their source address and report refusals instead of throwing.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';

export type Backend = { name: string; address: string; port: number; hits: number; close(): Promise<void> };

/**
 * `appCookie`: like an application server with sessions, the backend sets `<appCookie>=<name>-<n>` on
 * every response to a request that does not carry that cookie yet. A path `/status/<code>` gets that status.
 */
export async function httpBackend(
  name: string,
  address: string,
  options: { appCookie?: string } = {},
): Promise<Backend> {
  const backend: Backend = { name, address, port: 0, hits: 0, close: async () => {} };
  const { appCookie } = options;
  const server = http.createServer((request, response) => {
    backend.hits += 1;
    // `/status/<code>…` answers that status (a member's own 404s, for the access log test).
    const status = /^\/status\/(\d{3})/.exec(request.url ?? '');
    if (status) response.statusCode = Number(status[1]);
    if (appCookie && !(request.headers.cookie ?? '').includes(`${appCookie}=`))
      response.setHeader('set-cookie', `${appCookie}=${name}-${backend.hits}; path=/`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ name, path: request.url, headers: request.headers }));
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

export async function tcpBackend(name: string, address: string): Promise<Backend> {
  const backend: Backend = { name, address, port: 0, hits: 0, close: async () => {} };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    backend.hits += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (data) => socket.write(`${name}:${data}`));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  backend.port = (server.address() as net.AddressInfo).port;
  backend.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return backend;
}

/**
 * One HTTP GET through the load balancer, on a fresh connection (no keep-alive pool: a connection kept from an
 * earlier request could still be served by a data plane's previous configuration, which is hitless reload
 * working as intended), bounded to 5 s.
 */
export function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Headers;
    text: string;
    json: () => ReturnType<typeof JSON.parse>;
  }>((resolve, reject) => {
    const request = http.get(url, { headers, agent: false, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const out = new Headers();
        for (let i = 0; i < response.rawHeaders.length; i += 2)
          out.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
        resolve({ status: response.statusCode ?? 0, headers: out, text, json: () => JSON.parse(text) });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: no answer within 5 s`)));
    request.on('error', reject);
  });
}

/** Sends one line over TCP and returns the reply, bounded to 5 s. */
export function tcpRoundTrip(address: string, port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, address, () => socket.write(line));
    const timer = setTimeout(() => socket.destroy(new Error('tcp round trip timed out')), 5000);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      resolve(String(data));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** A UDP echo server that prefixes its name: `<name>:<datagram>`. */
export async function udpBackend(name: string, address: string): Promise<Backend> {
  const backend: Backend = { name, address, port: 0, hits: 0, close: async () => {} };
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {});
  socket.on('message', (message, from) => {
    backend.hits += 1;
    socket.send(`${name}:${message}`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  backend.port = socket.address().port;
  backend.close = () => new Promise((resolve) => socket.close(() => resolve()));
  return backend;
}

/** Sends one datagram and waits for one reply; up to `tries` sends of `waitMs` each, null if none came. */
export async function udpRoundTrip(
  address: string,
  port: number,
  message: string,
  { tries = 3, waitMs = 1000 } = {},
): Promise<string | null> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {});
  try {
    for (let i = 0; i < tries; i += 1) {
      const reply = await new Promise<string | null>((resolve) => {
        const timer = setTimeout(() => {
          socket.off('message', onMessage);
          resolve(null);
        }, waitMs);
        const onMessage = (data: Buffer) => {
          clearTimeout(timer);
          resolve(String(data));
        };
        socket.once('message', onMessage);
        socket.send(message, port, address);
      });
      if (reply !== null) return reply;
    }
    return null;
  } finally {
    socket.close();
  }
}

/**
 * A TCP server that records everything each connection sent (`received[i]` for the i-th connection, as
 * latin1 text) and answers every chunk with `<name>:ok`, e.g. to see the PROXY header a member receives.
 */
export async function rawTcpBackend(
  name: string,
  address: string,
): Promise<Backend & { received: string[] }> {
  const backend = { name, address, port: 0, hits: 0, close: async () => {}, received: [] as string[] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const index = backend.hits;
    backend.hits += 1;
    backend.received[index] = '';
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (data) => {
      backend.received[index] += data.toString('latin1');
      socket.write(`${name}:ok`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  backend.port = (server.address() as net.AddressInfo).port;
  backend.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return backend;
}

/** A TCP connection kept open: `send` writes a line and waits for the next reply (null: closed or silent). */
export type TcpClient = {
  socket: net.Socket;
  send(line: string): Promise<string | null>;
  close(): void;
};

/**
 * Opens a TCP connection (from `localAddress` if given), sends `line` and waits for the first reply, bounded
 * to `timeoutMs`; resolves to the open client and the reply, or to null when the connection was refused,
 * reset, closed or left unanswered (the socket is then closed).
 */
export async function openTcp(
  address: string,
  port: number,
  line: string,
  { localAddress, timeoutMs = 3000 }: { localAddress?: string; timeoutMs?: number } = {},
): Promise<{ client: TcpClient; reply: string } | null> {
  const socket = net.connect({ host: address, port, localAddress });
  let closed = false;
  let waiting: ((reply: string | null) => void) | undefined;
  const settle = (reply: string | null) => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(reply);
  };
  socket.on('data', (data) => settle(String(data)));
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    settle(null);
  });
  const client: TcpClient = {
    socket,
    send: (text) =>
      new Promise((resolve) => {
        if (closed) {
          resolve(null);
          return;
        }
        const timer = setTimeout(() => settle(null), timeoutMs);
        waiting = (reply) => {
          clearTimeout(timer);
          resolve(reply);
        };
        socket.write(text);
      }),
    close: () => {
      socket.destroy();
    },
  };
  await new Promise<void>((resolve) => {
    if (socket.connecting) {
      socket.once('connect', () => resolve());
      socket.once('close', () => resolve());
    } else resolve();
  });
  const reply = await client.send(line);
  if (reply === null) {
    client.close();
    return null;
  }
  return { client, reply };
}

/** One line over a fresh TCP connection: the reply, or null when refused, closed or unanswered. */
export async function tcpTry(
  address: string,
  port: number,
  line: string,
  options: { localAddress?: string; timeoutMs?: number } = {},
): Promise<string | null> {
  const opened = await openTcp(address, port, line, options);
  opened?.client.close();
  return opened?.reply ?? null;
}

/** One HTTP GET on a fresh connection from `localAddress` (when given), bounded to 5 s. */
export function httpGet(
  url: string,
  { headers = {}, localAddress }: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => ReturnType<typeof JSON.parse>;
}> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, localAddress, agent: false, timeout: 5000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          json: () => JSON.parse(text),
        }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('http request timed out')));
    request.on('error', reject);
  });
}
