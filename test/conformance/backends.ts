// Real backend servers for the conformance suite, on their own 127.0.x.y addresses: HTTP servers that answer
// with their name and echo what the load balancer added, and a TCP echo server that prefixes its name.
import http from 'node:http';
import net from 'node:net';

export type Backend = { name: string; address: string; port: number; hits: number; close(): Promise<void> };

export async function httpBackend(name: string, address: string): Promise<Backend> {
  const backend: Backend = { name, address, port: 0, hits: 0, close: async () => {} };
  const server = http.createServer((request, response) => {
    backend.hits += 1;
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

/** One HTTP GET through the load balancer, on a fresh connection, bounded to 5 s. */
export async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
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
