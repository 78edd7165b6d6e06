// A real HTTP/2 client for tests (node:http2 over TLS, ALPN h2): sessions that report the protocol the
// handshake chose, and requests that resolve with status, headers and body, each bounded in time.
import http2 from 'node:http2';
import tls from 'node:tls';

export type H2Answer = { status: number; headers: http2.IncomingHttpHeaders; body: string };

export type H2ConnectOptions = {
  ca: string;
  servername?: string;
  /** a client certificate and its key (PEM) */
  client?: Readonly<{ certificate: string; privateKey: string }>;
};

/** Opens an HTTP/2 session to host:port; rejects when the handshake fails or does not choose h2. */
export function h2Connect(
  host: string,
  port: number,
  options: H2ConnectOptions,
): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${host}:${port}`, {
      ca: options.ca,
      servername: options.servername ?? '',
      checkServerIdentity: () => undefined,
      cert: options.client?.certificate,
      key: options.client?.privateKey,
    });
    const limit = setTimeout(() => session.destroy(new Error('no HTTP/2 session within 5 s')), 5000);
    session.once('connect', () => {
      clearTimeout(limit);
      session.off('error', onError);
      session.on('error', () => {});
      resolve(session);
    });
    const onError = (error: Error) => {
      clearTimeout(limit);
      reject(error);
    };
    session.once('error', onError);
  });
}

/** The ALPN protocol of the session's TLS connection ('h2' when HTTP/2 was negotiated). */
export function alpnOf(session: http2.ClientHttp2Session): string | false {
  return (session.socket as tls.TLSSocket).alpnProtocol ?? false;
}

/** One request on `session`; `body` chunks are written one by one (no content-length unless given). */
export function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: readonly (string | Buffer)[],
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    const limit = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 5000);
    let answer: H2Answer | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      answer = { status: Number(h[':status']), headers: h, body: '' };
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      clearTimeout(limit);
      if (answer) resolve({ ...answer, body: Buffer.concat(chunks).toString() });
      else reject(new Error('stream ended without a response'));
    });
    stream.on('close', () => {
      clearTimeout(limit);
      if (!stream.readableEnded) reject(new Error(`stream reset (code ${stream.rstCode})`));
    });
    stream.on('error', () => {});
    if (body) {
      for (const chunk of body) stream.write(chunk);
      stream.end();
    }
  });
}

/** The protocol a TLS handshake chooses when the client offers `offered` (false: none). */
export function negotiatedAlpn(
  host: string,
  port: number,
  ca: string,
  offered: string[],
): Promise<string | false> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host, port, ca, servername: '', checkServerIdentity: () => undefined, ALPNProtocols: offered },
      () => {
        resolve(socket.alpnProtocol ?? false);
        socket.destroy();
      },
    );
    socket.setTimeout(5000, () => socket.destroy(new Error('no TLS handshake within 5 s')));
    socket.on('error', reject);
  });
}

/** One HTTP/2 frame as received (RFC 9113 §4.1). */
export type H2Frame = Readonly<{ type: number; flags: number; stream: number; payload: Buffer }>;

export const H2_FRAME = { HEADERS: 0x1, RST_STREAM: 0x3, SETTINGS: 0x4, GOAWAY: 0x7 } as const;

/** A frame's bytes: 9-octet header (length, type, flags, stream id), then the payload. */
export function h2Frame(
  type: number,
  flags: number,
  stream: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

/** The client connection preface and an empty SETTINGS frame (RFC 9113 §3.4). */
export const H2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
  h2Frame(H2_FRAME.SETTINGS, 0, 0),
]);

/**
 * The HPACK block (RFC 7541) of `GET <path>` over https to `authority`: :method and :scheme from the static
 * table, :path and :authority as literals without indexing (names from the static table, strings < 127 octets).
 */
export function h2GetBlock(path: string, authority: string): Buffer {
  const literal = (index: number, value: string) => {
    const bytes = Buffer.from(value, 'latin1');
    return Buffer.concat([Buffer.from([index, bytes.length]), bytes]);
  };
  return Buffer.concat([Buffer.from([0x82, 0x87]), literal(0x04, path), literal(0x01, authority)]);
}

/**
 * Writes `bytes` on a TLS connection that negotiated h2, as a hostile client would, and collects the frames the
 * server sends until `enough` says so or the connection closes (at most 10 s).
 */
export function rawH2(
  host: string,
  port: number,
  ca: string,
  bytes: Buffer,
  enough: (frame: H2Frame) => boolean,
): Promise<H2Frame[]> {
  return new Promise((resolve) => {
    const frames: H2Frame[] = [];
    let received = Buffer.alloc(0);
    const socket = tls.connect(
      { host, port, ca, servername: '', checkServerIdentity: () => undefined, ALPNProtocols: ['h2'] },
      () => socket.write(bytes),
    );
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 9 && received.length >= 9 + received.readUIntBE(0, 3)) {
        const length = received.readUIntBE(0, 3);
        const frame = {
          type: received[3],
          flags: received[4],
          stream: received.readUInt32BE(5) & 0x7fffffff,
          payload: Buffer.from(received.subarray(9, 9 + length)),
        };
        frames.push(frame);
        received = received.subarray(9 + length);
        if (enough(frame)) socket.destroy();
      }
    });
    socket.on('error', () => {});
    socket.setTimeout(10_000, () => socket.destroy());
    socket.once('close', () => resolve(frames));
  });
}
