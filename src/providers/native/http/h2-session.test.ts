// HTTP/2 clients of a native TERMINATED_HTTPS listener (ALPN h2), by a real node:http2 client and curl: served
// like HTTP/1 clients (L7 rules by :authority, member choice, inserted headers, HSTS, bodies both ways,
// statistics), with members on HTTP/1.1, and bounded against hostile clients without harm to other streams.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import {
  alpnOf,
  H2_FRAME,
  H2_PREFACE,
  h2Connect,
  h2Frame,
  h2GetBlock,
  h2Request,
  rawH2,
} from '../../../../test/helpers/h2-client.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';
import type { DesiredListener, DesiredPool } from '../../../model/desired-state.ts';
import * as build from '../../desired-test-builders.ts';
import { NativeProvider } from '../native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
} from '../native-test-fixtures.ts';
import { pemOf } from '../tls/tls-test-fixtures.ts';
import { H2_MAX_CONCURRENT_STREAMS } from './h2-session.ts';
import { MAX_HEAD_BYTES } from './http1-head.ts';

const VIP = '127.0.20.41';

const END_STREAM = 0x1;
const END_HEADERS = 0x4;

/** Whether `curl --http2` can run here (curl built with nghttp2). */
const curlH2 = await new Promise<boolean>((resolve) =>
  execFile('curl', ['--version'], (error, stdout) => resolve(!error && /\bHTTP2\b/.test(stdout))),
);

/** Whether `emitter` emits `event` within 10 s (bounded: a test fails rather than hangs). */
function within(emitter: EventEmitter, event: string): Promise<boolean> {
  return new Promise((resolve) => {
    const limit = setTimeout(() => resolve(false), 10_000);
    emitter.once(event, () => {
      clearTimeout(limit);
      resolve(true);
    });
  });
}

/** Waits (at most 20 s) until `count` has not changed for half a second: a transfer that can go no further. */
async function steady(count: () => number): Promise<void> {
  let last = -1;
  for (let stable = 0, i = 0; stable < 5 && i < 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stable = count() === last ? stable + 1 : 0;
    last = count();
  }
}

describe('native provider, HTTP/2 clients of TERMINATED_HTTPS listeners', { skip: opensslMissing }, () => {
  const provider = new NativeProvider();
  let pki: TestPki;
  let backend: Backend;
  let main: IssuedCertificate;
  let revision = 1;
  /** what the member received as request bodies, in order */
  const bodies: string[] = [];
  /** how much of a 32 MiB response the member has handed to its connection (GET /big) */
  const BIG = 32 * 1024 * 1024;
  let bigOffered = 0;

  before(async () => {
    pki = await createTestPki();
    main = await pki.server(['www.example.com']);
    backend = await httpBackend('127.0.11.41', 'member', (req, res) => {
      if (req.url === '/echo') {
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
      if (req.url === '/slow') {
        setTimeout(() => res.end('slow'), 300);
        return true;
      }
      if (req.url === '/never') return true; // answers only when the client goes away
      if (req.url === '/big') {
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
      if (req.url === '/hold') {
        req.pause(); // never reads the request body, never answers
        return true;
      }
      if (req.url === '/204') {
        res.writeHead(204).end();
        return true;
      }
      if (req.url === '/cookies') {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.end(String(req.headers.cookie));
        return true;
      }
      return false;
    });
  });
  after(async () => {
    await provider.close();
    await backend.close();
    await pki.remove();
  });

  async function serve(
    tls: Partial<DesiredListener['tls']> = {},
    extra: Partial<DesiredListener> = {},
    members = [member(backend.address, backend.port)],
    poolExtra: Partial<DesiredPool> = {},
  ) {
    const port = await freePort(VIP);
    const p = pool(members, poolExtra);
    const material = { defaultCertificate: pemOf(main, ['www.example.com']), ...NO_CLIENT_AUTH };
    const l = listener(port, {
      protocol: 'TERMINATED_HTTPS',
      tls: { ...build.listener('unused', port).tls, material, alpnProtocols: ['h2', 'http/1.1'], ...tls },
      defaultPoolId: p.id,
      ...extra,
    });
    const lb = loadBalancer(VIP, [l], [p], { revision: revision++ });
    await provider.apply(lb);
    const counters = () => provider.report(lb.id)?.listeners[l.id].counters;
    return { port, lb, l, counters };
  }

  const NO_CLIENT_AUTH = { sniCertificates: [], clientCa: null, clientCrl: null };

  const GET = (path: string, extra: http2.OutgoingHttpHeaders = {}) => ({
    ':method': 'GET',
    ':path': path,
    ':authority': 'www.example.com',
    ...extra,
  });

  it('negotiates h2 by ALPN and serves the member answer with HSTS, telling the member X-Forwarded-* and the host', async () => {
    const hsts = { maxAge: 100, includeSubdomains: true, preload: true };
    const insertHeaders = {
      'X-Forwarded-For': 'true',
      'X-Forwarded-Port': 'true',
      'X-Forwarded-Proto': 'true',
    };
    const { port, lb } = await serve({ hsts }, { insertHeaders });
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal(alpnOf(session), 'h2');
    const before = backend.seen.length;
    const answer = await h2Request(session, GET('/'));
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'member');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=100; includeSubDomains; preload;');
    // RFC 9113 §8.2.2: no HTTP/1 connection field reaches an HTTP/2 client.
    assert.equal(answer.headers.connection, undefined);
    assert.equal(answer.headers['keep-alive'], undefined);
    const seen = backend.seen[before];
    assert.equal(seen.host, 'www.example.com');
    assert.equal(seen['x-forwarded-proto'], 'https');
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen['x-forwarded-port'], String(port));
    session.close();
    await provider.remove(lb.id);
  });

  it('reads the client certificate for X-SSL headers and SSL L7 rules on an h2 connection', async () => {
    const material = {
      defaultCertificate: pemOf(main, ['www.example.com']),
      ...NO_CLIENT_AUTH,
      clientCa: pki.ca,
    };
    const noCert = build.rule('r-cert', {
      type: 'SSL_CONN_HAS_CERT',
      compareType: 'EQUAL_TO',
      value: 'True',
      invert: true,
    });
    const { port, lb } = await serve(
      { clientAuthentication: 'OPTIONAL', material },
      {
        insertHeaders: { 'X-SSL-Client-CN': 'true', 'X-SSL-Client-Verify': 'true' },
        l7policies: [build.policy('p-cert', [noCert], { action: 'REJECT', position: 1 })],
      },
    );
    const anonymous = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal((await h2Request(anonymous, GET('/'))).status, 403);
    anonymous.close();
    const alice = await h2Connect(VIP, port, { ca: pki.ca, client: await pki.client('alice') });
    const before = backend.seen.length;
    assert.equal((await h2Request(alice, GET('/'))).status, 200);
    assert.equal(backend.seen[before]['x-ssl-client-cn'], '"alice"');
    assert.equal(backend.seen[before]['x-ssl-client-verify'], '0');
    alice.close();
    await provider.remove(lb.id);
  });

  it('keeps HTTP_COOKIE persistence for h2 clients: the SRV cookie set, then honoured', async () => {
    const other = await httpBackend('127.0.11.43', 'other');
    const sessionPersistence = {
      type: 'HTTP_COOKIE',
      cookieName: null,
      persistenceTimeout: null,
      persistenceGranularity: null,
    } as const;
    const members = [member(backend.address, backend.port), member(other.address, other.port)];
    const { port, lb } = await serve({}, {}, members, { sessionPersistence });
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const first = await h2Request(session, GET('/'));
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    assert.match(cookie, /^SRV=/);
    for (let i = 0; i < 4; i++) {
      const again = await h2Request(session, GET('/', { cookie }));
      assert.equal(again.body, first.body);
      assert.equal(again.headers['set-cookie'], undefined);
    }
    session.close();
    await provider.remove(lb.id);
    await other.close();
  });

  it('serves h2 when alpn_protocols is [h2] alone, and offers no h2 when it is [http/1.1]', async () => {
    const only = await serve({ alpnProtocols: ['h2'] });
    const session = await h2Connect(VIP, only.port, { ca: pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    session.close();
    await provider.remove(only.lb.id);
    const http1 = await serve({ alpnProtocols: ['http/1.1'] });
    await assert.rejects(h2Connect(VIP, http1.port, { ca: pki.ca }));
    await provider.remove(http1.lb.id);
  });

  it('routes by :authority with L7 rules and answers 403 and redirects itself on the stream', async () => {
    const blocked = build.rule('r-host', {
      type: 'HOST_NAME',
      compareType: 'EQUAL_TO',
      value: 'blocked.example.com',
    });
    const moved = build.rule('r-path', { type: 'PATH', compareType: 'STARTS_WITH', value: '/old' });
    const policies = [
      build.policy('p-reject', [blocked], { action: 'REJECT', position: 1 }),
      build.policy('p-moved', [moved], {
        action: 'REDIRECT_TO_URL',
        redirectUrl: 'https://new.example.com/',
        position: 2,
      }),
    ];
    const { port, lb, counters } = await serve({}, { l7policies: policies });
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal((await h2Request(session, GET('/', { ':authority': 'blocked.example.com' }))).status, 403);
    const headBlocked = await h2Request(
      session,
      GET('/', { ':authority': 'blocked.example.com', ':method': 'HEAD' }),
    );
    assert.deepEqual([headBlocked.status, headBlocked.body], [403, '']);
    const redirect = await h2Request(session, GET('/old/page'));
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, 'https://new.example.com/');
    assert.equal((await h2Request(session, GET('/'))).body, 'member');
    session.close();
    assert.equal(counters()?.requestErrors, 0);
    await provider.remove(lb.id);
  });

  it('relays request bodies with and without content-length and de-chunks the member response', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const post = (extra: http2.OutgoingHttpHeaders = {}) => ({
      ...GET('/echo'),
      ':method': 'POST',
      ...extra,
    });
    const streamed = await h2Request(session, post(), ['abc', 'def', Buffer.alloc(0), 'ghi']);
    assert.equal(streamed.status, 200);
    assert.equal(streamed.body, 'echo:abcdefghi');
    assert.equal(bodies.at(-1), 'abcdefghi');
    assert.equal(backend.seen.at(-1)?.['transfer-encoding'], 'chunked');
    const sized = await h2Request(session, post({ 'content-length': '5' }), ['hel', 'lo']);
    assert.equal(sized.body, 'echo:hello');
    assert.equal(backend.seen.at(-1)?.['content-length'], '5');
    const big = 'x'.repeat(300_000); // beyond the initial flow-control windows both ways
    const large = await h2Request(session, post(), [big]);
    assert.equal(large.body, `echo:${big}`);
    session.close();
    await provider.remove(lb.id);
  });

  it('holds back a request body the member does not read (flow control), instead of buffering it', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const stream = session.request({ ...GET('/hold'), ':method': 'POST' });
    stream.on('error', () => {});
    // 16 KiB at a time as the stream takes them, up to 32 MiB: more than every socket buffer on the way holds.
    const size = 32 * 1024 * 1024;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let offered = 0;
    let sent = 0; // bytes the HTTP/2 layer let go, which the server's flow-control window allowed
    const pump = () => {
      while (offered < size) {
        offered += chunk.length;
        if (!stream.write(chunk, () => (sent += chunk.length))) return;
      }
    };
    stream.on('drain', pump);
    pump();
    await steady(() => sent); // until the client can send no more
    assert.ok(sent > 0, 'the proxy took none of the body');
    assert.ok(sent < size, 'the proxy took the whole body although the member read none of it');
    stream.close(http2.constants.NGHTTP2_CANCEL);
    session.close();
    await provider.remove(lb.id);
  });

  it('holds back the member when the HTTP/2 client does not read the response (flow control)', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const stream = session.request(GET('/big'));
    stream.on('error', () => {});
    stream.pause(); // never read: the client's windows stay closed
    await steady(() => bigOffered); // until the member can hand over no more
    assert.ok(bigOffered > 0, 'the member was never asked');
    assert.ok(bigOffered < BIG, 'the proxy read the whole response although the client read none of it');
    stream.close(http2.constants.NGHTTP2_CANCEL);
    session.close();
    await provider.remove(lb.id);
  });

  it('joins cookie crumbs for the member and keeps each Set-Cookie of the response', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    // Node sends an array of cookie values as separate crumbs (RFC 9113 §8.2.3).
    const answer = await h2Request(session, GET('/cookies', { cookie: ['x=1', 'y=2'] }));
    assert.equal(answer.body, 'x=1; y=2');
    assert.deepEqual(answer.headers['set-cookie'], ['a=1', 'b=2']);
    session.close();
    await provider.remove(lb.id);
  });

  it('sends no body for HEAD and 204', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const head = await h2Request(session, GET('/', { ':method': 'HEAD' }));
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    const empty = await h2Request(session, GET('/204'));
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
    assert.equal((await h2Request(session, GET('/'))).body, 'member');
    session.close();
    await provider.remove(lb.id);
  });

  it('closes a session idle for timeout_client_data, but not while a request waits on its member', async () => {
    const timeouts = { clientData: 150, memberConnect: 5000, memberData: 50000, tcpInspect: 0 };
    const { port, lb } = await serve({}, { timeouts });
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const closed = within(session, 'close');
    // The member takes 300 ms, twice the idle timeout: the open stream keeps the session.
    assert.equal((await h2Request(session, GET('/slow'))).body, 'slow');
    assert.equal(await closed, true);
    await provider.remove(lb.id);
  });

  it('lets open streams finish when the listener goes away, then ends the session with GOAWAY', async () => {
    const { port, lb, l } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const goaway = within(session, 'goaway');
    const slow = h2Request(session, GET('/slow'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is on its way to the member
    await provider.apply({
      ...lb,
      revision: revision++,
      listeners: lb.listeners.filter((x) => x.id !== l.id),
    });
    assert.equal((await slow).body, 'slow');
    assert.equal(await goaway, true);
    session.destroy();
    await provider.remove(lb.id);
  });

  it('answers 503 on the stream when no member can serve, and the session serves the next request', async () => {
    const closed = await freePort('127.0.11.42');
    const { port, lb, counters } = await serve({}, {}, [member('127.0.11.42', closed)]);
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 503);
    assert.equal((await h2Request(session, GET('/'))).status, 503);
    assert.equal(counters()?.requestErrors, 2);
    session.close();
    await provider.remove(lb.id);
  });

  it('refuses a malformed request with 400 on its stream only (Host naming another authority)', async () => {
    const { port, lb, counters } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    const bad = await h2Request(session, GET('/', { host: 'other.example.com' }));
    assert.equal(bad.status, 400);
    assert.equal(counters()?.requestErrors, 1);
    assert.equal((await h2Request(session, GET('/', { host: 'www.example.com' }))).status, 200);
    session.close();
    await provider.remove(lb.id);
  });

  it('resets a stream whose header list is beyond the head limit, and a reset stream leaves the others alone', async () => {
    const { port, lb } = await serve();
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    // A request answered: the client has acknowledged the server's settings, which Node enforces from then on.
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    assert.equal(session.remoteSettings.maxHeaderListSize, MAX_HEAD_BYTES);
    // ENHANCE_YOUR_CALM (11) for that stream only; the session goes on.
    await assert.rejects(h2Request(session, GET('/', { 'x-big': 'y'.repeat(20_000) })), /code 11\b/);
    const slow = h2Request(session, GET('/slow'));
    const stuck = session.request(GET('/never'));
    stuck.on('error', () => {});
    stuck.on('response', () => assert.fail('no answer expected'));
    setTimeout(() => stuck.close(http2.constants.NGHTTP2_CANCEL), 50);
    assert.equal((await slow).body, 'slow');
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    session.close();
    await provider.remove(lb.id);
  });

  it('refuses a stream beyond SETTINGS_MAX_CONCURRENT_STREAMS with REFUSED_STREAM, and only that one', async () => {
    const { port, lb } = await serve();
    const block = h2GetBlock('/never', 'www.example.com'); // the member never answers: every stream stays open
    const opened = Array.from({ length: H2_MAX_CONCURRENT_STREAMS + 1 }, (_, i) =>
      h2Frame(H2_FRAME.HEADERS, END_STREAM | END_HEADERS, 2 * i + 1, block),
    );
    const frames = await rawH2(
      VIP,
      port,
      pki.ca,
      Buffer.concat([H2_PREFACE, ...opened]),
      (f) => f.type === H2_FRAME.RST_STREAM,
    );
    const resets = frames.filter((f) => f.type === H2_FRAME.RST_STREAM);
    assert.deepEqual(
      resets.map((f) => [f.stream, f.payload.readUInt32BE(0)]),
      [[2 * H2_MAX_CONCURRENT_STREAMS + 1, http2.constants.NGHTTP2_REFUSED_STREAM]],
    );
    await provider.remove(lb.id);
  });

  it('ends a session that resets streams rapidly (CVE-2023-44487), while the listener serves other clients', async () => {
    const { port, lb } = await serve();
    // 1000 HEADERS + RST_STREAM(CANCEL) pairs in one write, as the attack sends them: raw frames, since a
    // client library would hold back streams beyond SETTINGS_MAX_CONCURRENT_STREAMS.
    const block = h2GetBlock('/', 'www.example.com');
    const cancel = Buffer.alloc(4);
    cancel.writeUInt32BE(http2.constants.NGHTTP2_CANCEL);
    const pairs = Array.from({ length: 1000 }, (_, i) => [
      h2Frame(H2_FRAME.HEADERS, END_STREAM | END_HEADERS, 2 * i + 1, block),
      h2Frame(H2_FRAME.RST_STREAM, 0, 2 * i + 1, cancel),
    ]).flat();
    const frames = await rawH2(
      VIP,
      port,
      pki.ca,
      Buffer.concat([H2_PREFACE, ...pairs]),
      (f) => f.type === H2_FRAME.GOAWAY,
    );
    const goaway = frames.find((f) => f.type === H2_FRAME.GOAWAY);
    assert.equal(goaway?.payload.readUInt32BE(4), http2.constants.NGHTTP2_INTERNAL_ERROR); // last id, code
    const other = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal((await h2Request(other, GET('/'))).status, 200);
    other.close();
    await provider.remove(lb.id);
  });

  it('survives a session error (garbage after the h2 preface) and serves the next client', async () => {
    const { port, lb } = await serve();
    await new Promise<void>((resolve) => {
      const socket = tls.connect(
        { host: VIP, port, ca: pki.ca, checkServerIdentity: () => undefined, ALPNProtocols: ['h2'] },
        () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not a frame at all, not at all'),
      );
      socket.on('error', () => {});
      socket.resume();
      socket.setTimeout(5000, () => socket.destroy());
      socket.once('close', () => resolve());
    });
    const session = await h2Connect(VIP, port, { ca: pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    session.close();
    await provider.remove(lb.id);
  });

  it('serves curl --http2', {
    skip: curlH2 ? false : 'curl with HTTP2 support is not installed',
  }, async (t) => {
    const { port, lb } = await serve({ hsts: { maxAge: 100, includeSubdomains: false, preload: false } });
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'curl',
        [
          '-sS',
          '-i',
          '--http2',
          '--max-time',
          '5',
          '--cacert',
          pki.caFile,
          '--resolve',
          `www.example.com:${port}:${VIP}`,
          `https://www.example.com:${port}/`,
        ],
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    t.diagnostic(out.split('\r\n')[0]);
    assert.match(out, /^HTTP\/2 200 ?\r\n/);
    assert.match(out, /\r\nstrict-transport-security: max-age=100;\r\n/);
    assert.match(out, /\r\n\r\nmember$/);
    await provider.remove(lb.id);
  });
});
