// The fixture of the native HTTP/2 tests (src/providers/native/http/h2-*.test.ts): a native provider serving
// TERMINATED_HTTPS listeners (ALPN h2) in front of an HTTP/1.1 member whose paths misbehave on purpose (slow,
// silent, huge, not reading), the request heads those tests send, and the bounded waits they need.
import type { EventEmitter } from 'node:events';
import type http2 from 'node:http2';
import type { DesiredListener, DesiredPool } from '../../src/model/desired-state.ts';
import type { PemCertificate } from '../../src/model/tls-material.ts';
import * as build from '../../src/providers/desired-test-builders.ts';
import { NativeProvider } from '../../src/providers/native/native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
} from '../../src/providers/native/native-test-fixtures.ts';
import { pemOf } from '../../src/providers/native/tls/tls-test-fixtures.ts';
import { createTestPki, type TestPki } from './test-pki.ts';

export const END_STREAM = 0x1;
export const END_HEADERS = 0x4;
/** The size of the member's answer to GET /big: more than every socket buffer on the way can hold. */
export const BIG = 32 * 1024 * 1024;
export const NO_CLIENT_AUTH = { sniCertificates: [], clientCa: null, clientCrl: null };

/** The head of a GET for `path` to www.example.com, with `extra` fields (or pseudo-fields) added or replaced. */
export const GET = (path: string, extra: http2.OutgoingHttpHeaders = {}): http2.OutgoingHttpHeaders => ({
  ':method': 'GET',
  ':path': path,
  ':authority': 'www.example.com',
  ...extra,
});

/** Whether `emitter` emits `event` within 10 s (bounded: a test fails rather than hangs). */
export function within(emitter: EventEmitter, event: string): Promise<boolean> {
  return new Promise((resolve) => {
    const limit = setTimeout(() => resolve(false), 10_000);
    emitter.once(event, () => {
      clearTimeout(limit);
      resolve(true);
    });
  });
}

/** Waits (at most 20 s) until `count` has not changed for half a second: a transfer that can go no further. */
export async function steady(count: () => number): Promise<void> {
  let last = -1;
  for (let stable = 0, i = 0; stable < 5 && i < 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stable = count() === last ? stable + 1 : 0;
    last = count();
  }
}

export type H2Fixture = Readonly<{
  provider: NativeProvider;
  pki: TestPki;
  /** the listeners' default certificate, for www.example.com */
  certificate: PemCertificate;
  backend: Backend;
  /** what the member received as request bodies (POST /echo), in order */
  bodies: readonly string[];
  /** how much of its GET /big answer the member has handed to its connection */
  bigOffered(): number;
  /** applies a load balancer with one TERMINATED_HTTPS listener (h2, http/1.1) on `vip` */
  serve(
    tls?: Partial<DesiredListener['tls']>,
    extra?: Partial<DesiredListener>,
    members?: DesiredMember[],
    poolExtra?: Partial<DesiredPool>,
  ): Promise<Served>;
  close(): Promise<void>;
}>;

type DesiredMember = ReturnType<typeof member>;
type Served = Readonly<{
  port: number;
  lb: ReturnType<typeof loadBalancer>;
  l: DesiredListener;
  counters: () => { requestErrors: number } | undefined;
}>;

/** The provider, a test PKI with a certificate for www.example.com, and the member on `memberAddress`. */
export async function h2Fixture(vip: string, memberAddress: string): Promise<H2Fixture> {
  const provider = new NativeProvider();
  const pki = await createTestPki();
  const certificate = pemOf(await pki.server(['www.example.com']), ['www.example.com']);
  const bodies: string[] = [];
  let bigOffered = 0;
  let revision = 1;
  const backend = await httpBackend(memberAddress, 'member', (req, res) => {
    switch (req.url) {
      case '/echo': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          bodies.push(text);
          // No content-length: Node's server answers HTTP/1.1 in the chunked coding, two chunks.
          res.write(`echo:${text.slice(0, 3)}`);
          setImmediate(() => res.end(text.slice(3)));
        });
        return true;
      }
      case '/slow':
        setTimeout(() => res.end('slow'), 300);
        return true;
      case '/never': // answers only when the client goes away
        return true;
      case '/big': {
        const chunk = Buffer.alloc(16 * 1024, 0x62);
        const pump = () => {
          while (bigOffered < BIG) {
            bigOffered += chunk.length;
            if (!res.write(chunk)) return;
          }
          res.end();
        };
        res.on('drain', pump);
        pump();
        return true;
      }
      case '/hold': // never reads the request body, never answers
        req.pause();
        return true;
      case '/204':
        res.writeHead(204).end();
        return true;
      case '/cookies':
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.end(String(req.headers.cookie));
        return true;
      default:
        return false;
    }
  });
  return {
    provider,
    pki,
    certificate,
    backend,
    bodies,
    bigOffered: () => bigOffered,
    async serve(tls = {}, extra = {}, members = [member(backend.address, backend.port)], poolExtra = {}) {
      const port = await freePort(vip);
      const p = pool(members, poolExtra);
      const material = { defaultCertificate: certificate, ...NO_CLIENT_AUTH };
      const l = listener(port, {
        protocol: 'TERMINATED_HTTPS',
        tls: { ...build.listener('unused', port).tls, material, alpnProtocols: ['h2', 'http/1.1'], ...tls },
        defaultPoolId: p.id,
        ...extra,
      });
      const lb = loadBalancer(vip, [l], [p], { revision: revision++ });
      await provider.apply(lb);
      const counters = () => provider.report(lb.id)?.listeners[l.id].counters;
      return { port, lb, l, counters };
    },
    async close() {
      await provider.close();
      await backend.close();
      await pki.remove();
    },
  };
}
