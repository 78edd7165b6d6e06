// Hostile HTTP/2 clients of a native TERMINATED_HTTPS listener: flow control both ways (a client or member
// that does not read holds the other side back), the header list and concurrent stream limits, rapid reset
// (CVE-2023-44487) and protocol garbage; a stream error ends that stream, a session error that session only.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import {
  H2_FRAME,
  H2_PREFACE,
  h2Connect,
  h2Frame,
  h2GetBlock,
  h2Request,
  rawH2,
} from '../../../../test/helpers/h2-client.ts';
import {
  BIG,
  END_HEADERS,
  END_STREAM,
  GET,
  type H2Fixture,
  h2Fixture,
  steady,
} from '../../../../test/helpers/h2-fixture.ts';
import { opensslMissing } from '../../../../test/helpers/test-pki.ts';
import { H2_MAX_CONCURRENT_STREAMS } from './h2-session.ts';
import { MAX_HEAD_BYTES } from './http1-head.ts';

const VIP = '127.0.20.42';

describe('native provider, hostile HTTP/2 clients', { skip: opensslMissing }, () => {
  let f: H2Fixture;
  before(async () => {
    f = await h2Fixture(VIP, '127.0.11.44');
  });
  after(() => f.close());

  it('holds back a request body the member does not read (flow control), instead of buffering it', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
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
    await f.provider.remove(lb.id);
  });

  it('holds back the member when the HTTP/2 client does not read the response (flow control)', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    const stream = session.request(GET('/big'));
    stream.on('error', () => {});
    stream.pause(); // never read: the client's windows stay closed
    await steady(() => f.bigOffered()); // until the member can hand over no more
    assert.ok(f.bigOffered() > 0, 'the member was never asked');
    assert.ok(f.bigOffered() < BIG, 'the proxy read the whole response although the client read none of it');
    stream.close(http2.constants.NGHTTP2_CANCEL);
    session.close();
    await f.provider.remove(lb.id);
  });

  it('resets a stream whose header list is beyond the head limit, and a reset stream leaves the others alone', async () => {
    const { port, lb } = await f.serve();
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
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
    await f.provider.remove(lb.id);
  });

  it('refuses a stream beyond SETTINGS_MAX_CONCURRENT_STREAMS with REFUSED_STREAM, and only that one', async () => {
    const { port, lb } = await f.serve();
    const block = h2GetBlock('/never', 'www.example.com'); // the member never answers: every stream stays open
    const opened = Array.from({ length: H2_MAX_CONCURRENT_STREAMS + 1 }, (_, i) =>
      h2Frame(H2_FRAME.HEADERS, END_STREAM | END_HEADERS, 2 * i + 1, block),
    );
    const frames = await rawH2(
      VIP,
      port,
      f.pki.ca,
      Buffer.concat([H2_PREFACE, ...opened]),
      (f) => f.type === H2_FRAME.RST_STREAM,
    );
    const resets = frames.filter((f) => f.type === H2_FRAME.RST_STREAM);
    assert.deepEqual(
      resets.map((f) => [f.stream, f.payload.readUInt32BE(0)]),
      [[2 * H2_MAX_CONCURRENT_STREAMS + 1, http2.constants.NGHTTP2_REFUSED_STREAM]],
    );
    await f.provider.remove(lb.id);
  });

  it('ends a session that resets streams rapidly (CVE-2023-44487), while the listener serves other clients', async () => {
    const { port, lb } = await f.serve();
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
      f.pki.ca,
      Buffer.concat([H2_PREFACE, ...pairs]),
      (f) => f.type === H2_FRAME.GOAWAY,
    );
    const goaway = frames.find((f) => f.type === H2_FRAME.GOAWAY);
    assert.equal(goaway?.payload.readUInt32BE(4), http2.constants.NGHTTP2_INTERNAL_ERROR); // last id, code
    const other = await h2Connect(VIP, port, { ca: f.pki.ca });
    assert.equal((await h2Request(other, GET('/'))).status, 200);
    other.close();
    await f.provider.remove(lb.id);
  });

  it('survives a session error (garbage after the h2 preface) and serves the next client', async () => {
    const { port, lb } = await f.serve();
    await new Promise<void>((resolve) => {
      const socket = tls.connect(
        { host: VIP, port, ca: f.pki.ca, checkServerIdentity: () => undefined, ALPNProtocols: ['h2'] },
        () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not a frame at all, not at all'),
      );
      socket.on('error', () => {});
      socket.resume();
      socket.setTimeout(5000, () => socket.destroy());
      socket.once('close', () => resolve());
    });
    const session = await h2Connect(VIP, port, { ca: f.pki.ca });
    assert.equal((await h2Request(session, GET('/'))).status, 200);
    session.close();
    await f.provider.remove(lb.id);
  });
});
