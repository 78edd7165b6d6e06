// HTTP/2 clients of a native TERMINATED_HTTPS listener (ALPN h2), by a real node:http2 client and curl, served
// like HTTP/1 clients: L7 rules by :authority, member choice and persistence, inserted headers, the client
// certificate, HSTS, bodies both ways, the proxy's own answers, timeouts and retirement; members on HTTP/1.1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { alpnOf, h2Connect, h2Request } from '../../../../test/helpers/h2-client.ts';
import {
  GET,
  type H2Fixture,
  h2Fixture,
  NO_CLIENT_AUTH,
  within,
} from '../../../../test/helpers/h2-fixture.ts';
import { opensslMissing } from '../../../../test/helpers/test-pki.ts';
import * as build from '../../desired-test-builders.ts';
import { freePort, httpBackend, member } from '../native-test-fixtures.ts';

const VIP = '127.0.20.41';

/** Whether `curl --http2` can run here (curl built with nghttp2). */
const curlH2 = await new Promise<boolean>((resolve) =>
  execFile('curl', ['--version'], (error, stdout) => resolve(!error && /\bHTTP2\b/.test(stdout))),
);

describe('native provider, HTTP/2 clients of TERMINATED_HTTPS listeners', { skip: opensslMissing }, () => {
  let f: H2Fixture;
  before(async () => {
    f = await h2Fixture(VIP, '127.0.11.41');
  });
  after(() => f.close());

  it('negotiates h2 by ALPN and serves the member answer with HSTS, telling the member X-Forwarded-* and the host', async () => {
    const hsts = { maxAge: 100, includeSubdomains: true, preload: true };
    const insertHeaders = {
      'X-Forwarded-For': 'true',
      'X-Forwarded-Port': 'true',
      'X-Forwarded-Proto': 'true',
    };
    const { port, lb } = await f.serve({ hsts }, { insertHeaders });
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    assert.equal(alpnOf(session), 'h2');
    const before = f.backend.seen.length;
    const answer = await h2Request(session, GET('/'));
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'member');
    assert.equal(answer.headers['strict-transport-security'], 'max-age=100; includeSubDomains; preload;');
    // RFC 9113 §8.2.2: no HTTP/1 connection field reaches an HTTP/2 client.
    assert.equal(answer.headers.connection, undefined);
    assert.equal(answer.headers['keep-alive'], undefined);
    const seen = f.backend.seen[before];
    assert.equal(seen.host, 'www.example.com');
    assert.equal(seen['x-forwarded-proto'], 'https');
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen['x-forwarded-port'], String(port));
    session.close();
    await f.provider.remove(lb.id);
  });

  it('reads the client certificate for X-SSL headers and SSL L7 rules on an h2 connection', async () => {
    const material = {
      defaultCertificate: f.certificate,
      ...NO_CLIENT_AUTH,
      clientCa: f.pki.ca,
    };
    const noCert = build.rule('r-cert', {
      type: 'SSL_CONN_HAS_CERT',
      compareType: 'EQUAL_TO',
      value: 'True',
      invert: true,
    });
    const { port, lb } = await f.serve(
      { clientAuthentication: 'OPTIONAL', material },
      {
        insertHeaders: { 'X-SSL-Client-CN': 'true', 'X-SSL-Client-Verify': 'true' },
        l7policies: [build.policy('p-cert', [noCert], { action: 'REJECT', position: 1 })],
      },
    );
    const anonymous = await h2Connect(VIP, port, { ca: f.pki.ca });
    assert.equal((await h2Request(anonymous, GET('/'))).status, 403);
    anonymous.close();
    const alice = await h2Connect(VIP, port, { ca: f.pki.ca, client: await f.pki.client('alice') });
    const before = f.backend.seen.length;
    assert.equal((await h2Request(alice, GET('/'))).status, 200);
    assert.equal(f.backend.seen[before]['x-ssl-client-cn'], 'alice');
    assert.equal(f.backend.seen[before]['x-ssl-client-verify'], '0');
    alice.close();
    await f.provider.remove(lb.id);
  });

  it('keeps HTTP_COOKIE persistence for h2 clients: the SRV cookie set, then honoured', async () => {
    const other = await httpBackend('127.0.11.43', 'other');
    const sessionPersistence = {
      type: 'HTTP_COOKIE',
      cookieName: null,
      persistenceTimeout: null,
      persistenceGranularity: null,
    } as const;
    const members = [member(f.backend.address, f.backend.port), member(other.address, other.port)];
    const { port, lb } = await f.serve({}, {}, members, { sessionPersistence });
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const first = await h2Request(session, GET('/'));
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    assert.match(cookie, /^SRV=/);
    for (let i = 0; i < 4; i++) {
      const again = await h2Request(session, GET('/', { cookie }));
      assert.equal(again.body, first.body);
      assert.equal(again.headers['set-cookie'], undefined);
    }
    session.close();
    await f.provider.remove(lb.id);
    await other.close();
  });

  it('serves h2 when alpn_protocols is [h2] alone, and offers no h2 when it is [http/1.1]', async () => {
    const only = await f.serve({ alpnProtocols: ['h2'] });
    const session = await h2Connect(VIP, only.port, { ca: f.pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    session.close();
    await f.provider.remove(only.lb.id);
    const http1 = await f.serve({ alpnProtocols: ['http/1.1'] });
    await assert.rejects(h2Connect(VIP, http1.port, { ca: f.pki.ca }));
    await f.provider.remove(http1.lb.id);
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
    const { port, lb, counters } = await f.serve({}, { l7policies: policies });
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
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
    await f.provider.remove(lb.id);
  });

  it('relays request bodies with and without content-length and de-chunks the member response', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const post = (extra: http2.OutgoingHttpHeaders = {}) => ({
      ...GET('/echo'),
      ':method': 'POST',
      ...extra,
    });
    const streamed = await h2Request(session, post(), ['abc', 'def', Buffer.alloc(0), 'ghi']);
    assert.equal(streamed.status, 200);
    assert.equal(streamed.body, 'echo:abcdefghi');
    assert.equal(f.bodies.at(-1), 'abcdefghi');
    assert.equal(f.backend.seen.at(-1)?.['transfer-encoding'], 'chunked');
    const sized = await h2Request(session, post({ 'content-length': '5' }), ['hel', 'lo']);
    assert.equal(sized.body, 'echo:hello');
    assert.equal(f.backend.seen.at(-1)?.['content-length'], '5');
    const big = 'x'.repeat(300_000); // beyond the initial flow-control windows both ways
    const large = await h2Request(session, post(), [big]);
    assert.equal(large.body, `echo:${big}`);
    session.close();
    await f.provider.remove(lb.id);
  });

  it("relays the member's 100 Continue as an interim HEADERS frame before the final response", async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const stream = session.request({ ...GET('/echo'), ':method': 'POST', expect: '100-continue' });
    stream.on('error', () => {});
    // The body goes only once the member said 100 (bounded: no 100 within 5 s fails the test).
    const continued = await new Promise<boolean>((resolve) => {
      const limit = setTimeout(() => resolve(false), 5000);
      stream.once('continue', () => {
        clearTimeout(limit);
        resolve(true);
      });
    });
    assert.equal(continued, true);
    stream.end('after-continue');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let status = 0;
      let body = '';
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        body += chunk;
      });
      stream.on('end', () => resolve({ status, body }));
      stream.on('close', () => reject(new Error('stream closed early')));
    });
    assert.deepEqual(answer, { status: 200, body: 'echo:after-continue' });
    session.close();
    await f.provider.remove(lb.id);
  });

  it('joins cookie crumbs for the member and keeps each Set-Cookie of the response', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    // Node sends an array of cookie values as separate crumbs (RFC 9113 §8.2.3).
    const answer = await h2Request(session, GET('/cookies', { cookie: ['x=1', 'y=2'] }));
    assert.equal(answer.body, 'x=1; y=2');
    assert.deepEqual(answer.headers['set-cookie'], ['a=1', 'b=2']);
    session.close();
    await f.provider.remove(lb.id);
  });

  it('sends no body for HEAD and 204', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const head = await h2Request(session, GET('/', { ':method': 'HEAD' }));
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    const empty = await h2Request(session, GET('/204'));
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
    assert.equal((await h2Request(session, GET('/'))).body, 'member');
    session.close();
    await f.provider.remove(lb.id);
  });

  it('closes a session idle for timeout_client_data, but not while a request waits on its member', async () => {
    const timeouts = { clientData: 150, memberConnect: 5000, memberData: 50000, tcpInspect: 0 };
    const { port, lb } = await f.serve({}, { timeouts });
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const closed = within(session, 'close');
    // The member takes 300 ms, twice the idle timeout: the open stream keeps the session.
    assert.equal((await h2Request(session, GET('/slow'))).body, 'slow');
    assert.equal(await closed, true);
    await f.provider.remove(lb.id);
  });

  it('lets open streams finish when the listener goes away, then ends the session with GOAWAY', async () => {
    const { port, lb, l } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const goaway = within(session, 'goaway');
    const slow = h2Request(session, GET('/slow'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request is on its way to the member
    await f.provider.apply({
      ...lb,
      revision: lb.revision + 1,
      listeners: lb.listeners.filter((x) => x.id !== l.id),
    });
    assert.equal((await slow).body, 'slow');
    assert.equal(await goaway, true);
    session.destroy();
    await f.provider.remove(lb.id);
  });

  it('answers 503 on the stream when no member can serve, and the session serves the next request', async () => {
    const closed = await freePort('127.0.11.42');
    const { port, lb, counters } = await f.serve({}, {}, [member('127.0.11.42', closed)]);
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 503);
    assert.equal((await h2Request(session, GET('/'))).status, 503);
    assert.equal(counters()?.requestErrors, 2);
    session.close();
    await f.provider.remove(lb.id);
  });

  it('refuses a malformed request with 400 on its stream only (Host naming another authority)', async () => {
    const { port, lb, counters } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const bad = await h2Request(session, GET('/', { host: 'other.example.com' }));
    assert.equal(bad.status, 400);
    assert.equal(counters()?.requestErrors, 1);
    assert.equal((await h2Request(session, GET('/', { host: 'www.example.com' }))).status, 200);
    session.close();
    await f.provider.remove(lb.id);
  });

  it('serves curl --http2', {
    skip: curlH2 ? false : 'curl with HTTP2 support is not installed',
  }, async (t) => {
    const { port, lb } = await f.serve({ hsts: { maxAge: 100, includeSubdomains: false, preload: false } });
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
          f.pki.caFile,
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
    await f.provider.remove(lb.id);
  });
});
