// A real WebSocket echo member for the conformance suite (RFC 6455 on node:http's 'upgrade' and node:crypto):
// the opening handshake (§4.2), messages echoed back whole with their own opcode (§5.4, §5.6), pings
// answered (§5.5.2), and the closing handshake from either side (§7.1). Each session is kept so a test can
// see what the member received, push messages, close or drop it, and know when its TCP connection ended.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import {
  closePayload,
  encodeFrame,
  FrameError,
  FrameReader,
  OPCODE,
  parseClose,
} from './websocket-frames.ts';

/** §1.3: the GUID appended to Sec-WebSocket-Key before hashing it into Sec-WebSocket-Accept. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Largest message the member takes (§7.4.1 1009 above it): a few MiB is plenty for these tests. */
const MAX_MESSAGE = 8 << 20;
/** How long a closing side waits for the peer's close frame or TCP close before it drops the connection. */
const CLOSE_WAIT_MS = 3000;

export type WebSocketSession = {
  /** the request target of the upgrade, e.g. `/chat/room` */
  path: string;
  /** messages received from the client */
  received: number;
  /** the client's close frame, once it came */
  closeFrame: { code: number; reason: string } | undefined;
  /** resolves when the member's TCP connection has closed */
  ended: Promise<void>;
  isOpen(): boolean;
  send(data: string | Buffer): void;
  /** Starts the closing handshake (§7.1.2) with `code` and `reason`. */
  close(code: number, reason: string): void;
  /** Ends the TCP connection without a closing handshake. */
  drop(): void;
};

export type WebSocketBackend = {
  name: string;
  address: string;
  port: number;
  /** WebSocket sessions opened (successful upgrades) */
  hits: number;
  sessions: WebSocketSession[];
  close(): Promise<void>;
};

/** §4.2.2: Sec-WebSocket-Accept = base64(SHA-1(key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}

export async function websocketBackend(name: string, address: string): Promise<WebSocketBackend> {
  const backend: WebSocketBackend = { name, address, port: 0, hits: 0, sessions: [], close: async () => {} };
  const sockets = new Set<net.Socket>();
  // Plain requests learn that this member speaks WebSocket only (§4.2.2: 426 names the version).
  const server = http.createServer((request, response) => {
    request.resume();
    response.writeHead(426, { 'sec-websocket-version': '13', 'content-type': 'text/plain' });
    response.end(`${name}: WebSocket only`);
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const refusal = handshakeRefusal(request);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nsec-websocket-version: 13\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    backend.hits += 1;
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n' +
        `sec-websocket-accept: ${acceptKey(String(request.headers['sec-websocket-key']))}\r\n\r\n`,
    );
    backend.sessions.push(echoSession(socket, request.url ?? '/', head));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  backend.port = (server.address() as net.AddressInfo).port;
  backend.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend;
}

/** The status line to refuse an opening handshake with, or undefined when it is valid (§4.2.1). */
function handshakeRefusal(request: http.IncomingMessage): string | undefined {
  const tokens = (request.headers.connection ?? '').toLowerCase().split(',');
  const key = request.headers['sec-websocket-key'] ?? '';
  const valid =
    request.method === 'GET' &&
    request.httpVersion === '1.1' &&
    (request.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    tokens.some((token) => token.trim() === 'upgrade') &&
    Buffer.from(key, 'base64').length === 16;
  if (!valid) return '400 Bad Request';
  // §4.4: a version the server does not speak gets 426 and the versions it does.
  if (request.headers['sec-websocket-version'] !== '13') return '426 Upgrade Required';
  return undefined;
}

function echoSession(socket: net.Socket, path: string, head: Buffer): WebSocketSession {
  const reader = new FrameReader(MAX_MESSAGE);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let message: { opcode: number; parts: Buffer[]; size: number } | undefined;
  let closeSent = false;
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const sendClose = (code: number | undefined, reason = '') => {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    setTimeout(() => socket.destroy(), CLOSE_WAIT_MS).unref();
  };
  const fail = (code: number) => {
    sendClose(code);
    socket.end();
  };
  const session: WebSocketSession = {
    path,
    received: 0,
    closeFrame: undefined,
    ended,
    isOpen: () => !closeSent && !socket.destroyed,
    send: (data) =>
      socket.write(
        typeof data === 'string'
          ? encodeFrame(OPCODE.text, Buffer.from(data))
          : encodeFrame(OPCODE.binary, data),
      ),
    close: (code, reason) => sendClose(code, reason),
    drop: () => socket.destroy(),
  };
  const onMessage = (opcode: number, payload: Buffer) => {
    if (opcode === OPCODE.text) utf8.decode(payload); // §8.1: invalid UTF-8 fails the connection (1007)
    session.received += 1;
    if (!closeSent) socket.write(encodeFrame(opcode, payload));
  };
  const onFrame = (opcode: number, fin: boolean, payload: Buffer) => {
    if (opcode === OPCODE.close) {
      session.closeFrame = parseClose(payload);
      // §5.5.1: answer with a close frame (echoing the code), then the server closes TCP first (§7.1.1).
      const { code } = session.closeFrame;
      sendClose(code === 1005 ? undefined : code);
      socket.end();
      return;
    }
    if (opcode === OPCODE.ping) {
      if (!closeSent) socket.write(encodeFrame(OPCODE.pong, payload));
      return;
    }
    if (opcode === OPCODE.pong) return;
    // §5.4: a message is a text or binary frame followed by continuation frames up to the one with FIN.
    if ((opcode === OPCODE.continuation) !== (message !== undefined))
      throw new FrameError(1002, 'a continuation frame out of place');
    message ??= { opcode, parts: [], size: 0 };
    message.parts.push(payload);
    message.size += payload.length;
    if (message.size > MAX_MESSAGE) throw new FrameError(1009, `a message of ${message.size} bytes`);
    if (!fin) return;
    const whole = message.parts.length === 1 ? message.parts[0] : Buffer.concat(message.parts);
    const kind = message.opcode;
    message = undefined;
    onMessage(kind, whole);
  };
  const onData = (chunk: Buffer) => {
    try {
      for (const frame of reader.push(chunk)) onFrame(frame.opcode, frame.fin, frame.payload);
    } catch (error) {
      fail(error instanceof FrameError ? error.code : 1007);
    }
  };
  socket.on('data', onData);
  // The peer ended TCP without a closing handshake (the upgrade socket is half-open): end ours too.
  socket.on('end', () => socket.end());
  if (head.length > 0) onData(head);
  return session;
}
