// How Node's own HTTP/1.1 parser (llhttp, inside node:http) frames bytes: the requests a node:http server
// reads from a byte stream, and the response a node:http client reads from one. Differential tests compare
// this view with the proxy's own (the member and the client of a proxy both run a parser like this one).
import http from 'node:http';
import net from 'node:net';

/** One message as a parser framed it; `body` is the decoded body (chunked coding removed), latin1. */
export type Frame = { start: string; host: string | undefined; body: string; complete: boolean };
/** The messages framed from a byte stream, and the parse error that stopped it, if any. */
export type Framing = { messages: Frame[]; error: string | undefined };

/** Bounds every exchange with the parser: no test waits longer for it. */
const LIMIT_MS = 3000;

/** A node:http server on loopback that frames request streams, one stream at a time. */
export class LlhttpRequestParser {
  readonly #server: http.Server;
  #current: Framing | undefined;

  private constructor(server: http.Server) {
    this.#server = server;
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const frame: Frame = {
        start: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
        host: req.headers.host,
        body: '',
        complete: false,
      };
      this.#current?.messages.push(frame);
      req.setEncoding('latin1');
      req.on('data', (chunk: string) => {
        frame.body += chunk;
      });
      req.on('end', () => {
        frame.complete = true;
        res.setHeader('x-member', 'llhttp');
        res.setHeader('content-length', '0');
        res.end();
      });
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
      if (this.#current) this.#current.error = error.code ?? error.message;
      socket.destroy();
    });
  }

  static async start(address = '127.0.0.1'): Promise<LlhttpRequestParser> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    return new LlhttpRequestParser(server);
  }

  /** Where the server listens: it also serves as a live member that answers every request it frames. */
  get address(): { host: string; port: number } {
    const { address, port } = this.#server.address() as net.AddressInfo;
    return { host: address, port };
  }

  /** The requests llhttp finds in `bytes`, sent on one connection that is then half-closed. */
  async frame(bytes: Buffer): Promise<Framing> {
    const framing: Framing = { messages: [], error: undefined };
    this.#current = framing;
    const { address, port } = this.#server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, address, () => socket.end(bytes));
      const timer = setTimeout(() => socket.destroy(), LIMIT_MS);
      socket.on('data', () => {});
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#current = undefined;
    return framing;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** What a node:http client made of one response. */
export type ClientView = {
  status: number | undefined;
  body: string;
  complete: boolean;
  error: string | undefined;
};

/** One GET of `path` with a node:http client (its llhttp parser), bounded in time. */
export function llhttpGet(
  host: string,
  port: number,
  path: string,
  agent: http.Agent | false,
): Promise<ClientView> {
  return new Promise((resolve) => {
    const view: ClientView = { status: undefined, body: '', complete: false, error: undefined };
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      if (error && !view.complete) view.error = error;
      resolve(view);
    };
    const req = http.get({ host, port, path, agent, headers: { host: 'front.example' } }, (res) => {
      view.status = res.statusCode;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        view.body += chunk;
      });
      res.on('end', () => {
        view.complete = !res.errored && res.complete;
        finish();
      });
      res.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      res.on('aborted', () => finish('aborted'));
    });
    req.setTimeout(LIMIT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  });
}

/** The response a node:http client reads when a server sends exactly `bytes`, then closes. */
export async function llhttpResponse(bytes: Buffer): Promise<ClientView> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await llhttpGet('127.0.0.1', port, '/', false);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
