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
