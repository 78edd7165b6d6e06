// Test fixtures for the native TLS tests: PemCertificate from test-pki's certificates, and an HTTPS client
// that reports what the handshake gave (served certificate subject, ALPN) beside the answer.
import { X509Certificate } from 'node:crypto';
import type http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import type { PemCertificate } from '../../../model/tls-material.ts';

/** A certificate and its key, PEM (test/helpers/test-pki.ts issues them). */
type Issued = Readonly<{ certificate: string; privateKey: string }>;

/** A certificate as the control plane hands it over, for `names`. */
export function pemOf(issued: Issued, names: readonly string[]): PemCertificate {
  const x509 = new X509Certificate(issued.certificate);
  return {
    certificate: issued.certificate,
    privateKey: issued.privateKey,
    intermediates: [],
    names,
    notAfter: x509.validToDate.toISOString(),
  };
}

export type HttpsAnswer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** CN of the certificate the server presented */
  servedCn: string;
  alpn: string | false;
};

export type HttpsOptions = {
  servername?: string;
  client?: Issued;
  ca?: string;
  alpn?: string[];
  agent?: https.Agent | false;
  path?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
};

/** One HTTPS request to `host:port`; the server's certificate is checked against `ca` but not its names. */
export function httpsRequest(host: string, port: number, options: HttpsOptions = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const requestOptions: https.RequestOptions & tls.ConnectionOptions = {
      host,
      port,
      path: options.path ?? '/',
      agent: options.agent ?? false,
      servername: options.servername ?? '',
      ca: options.ca,
      rejectUnauthorized: options.ca !== undefined,
      checkServerIdentity: () => undefined,
      cert: options.client?.certificate,
      key: options.client?.privateKey,
      ALPNProtocols: options.alpn,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
    };
    const req = https.request(requestOptions, (res) => {
      const socket = res.socket as tls.TLSSocket;
      const servedCn = String(socket.getPeerCertificate().subject?.CN ?? '');
      const alpn = socket.alpnProtocol ?? false;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, servedCn, alpn }),
      );
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Sends one keep-alive GET on an open TLS connection and reads its Content-Length response. */
export function getOn(socket: tls.TLSSocket, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ status: Number(text.slice(9, 12)), body: text.slice(end + 4, end + 4 + length) });
    };
    const onClose = () => reject(new Error('connection closed'));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nhost: test\r\n\r\n`);
  });
}
