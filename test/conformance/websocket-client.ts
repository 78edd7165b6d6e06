// A WebSocket client for the conformance suite on Node's built-in global `WebSocket` (WHATWG API): messages
// queued as they arrive and read one by one with a bound, and the close event as a promise.

export type Message = string | Buffer;
export type Closed = { code: number; reason: string; wasClean: boolean; at: number };

export type WebSocketClient = {
  socket: WebSocket;
  /** the next message, or a rejection after `timeoutMs` */
  next(timeoutMs?: number): Promise<Message>;
  /** messages received and not read by next() yet */
  pending(): number;
  send(data: Message): void;
  /** resolves with the close event (RFC 6455 §7.1.5 code 1006 when the connection dropped without one) */
  closed: Promise<Closed>;
  /** when the last message arrived or was sent (performance.now()) */
  lastTraffic(): number;
};

/** Opens a WebSocket and resolves once it is open; rejects when it fails or takes over `timeoutMs`. */
export async function openWebSocket(url: string, timeoutMs = 5000): Promise<WebSocketClient> {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const queue: Message[] = [];
  let waiting: ((message: Message | undefined) => void) | undefined;
  let last = performance.now();
  let isClosed = false;
  const closed = new Promise<Closed>((resolve) =>
    socket.addEventListener('close', (event) => {
      isClosed = true;
      waiting?.(undefined);
      resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean, at: performance.now() });
    }),
  );
  socket.addEventListener('message', (event) => {
    last = performance.now();
    const data = event.data;
    const message = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer);
    if (waiting) waiting(message);
    else queue.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`WebSocket ${url}: not open within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`WebSocket ${url}: the opening handshake failed`));
    });
  });
  return {
    socket,
    closed,
    pending: () => queue.length,
    lastTraffic: () => last,
    send: (data) => {
      last = performance.now();
      socket.send(data);
    },
    next: (ms = 5000) => {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (isClosed) return Promise.reject(new Error('the WebSocket is closed'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`no WebSocket message within ${ms} ms`));
        }, ms);
        waiting = (message) => {
          clearTimeout(timer);
          waiting = undefined;
          if (message === undefined) reject(new Error('the WebSocket closed while a message was awaited'));
          else resolve(message);
        };
      });
    },
  };
}
