// Message body framing (RFC 9112 §6-§7): chunked bodies found in any split, lengths, bodiless responses,
// and the ambiguous requests that are refused so proxy and member never disagree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BodyFraming, ChunkedBody, LengthBody } from './http1-body.ts';
import { closesAfter, hostValid, requestBody, responseBody } from './http1-framing.ts';
import { headEnd, parseRequestHead, parseResponseHead } from './http1-head.ts';

const b = (text: string) => Buffer.from(text, 'latin1');
const req = (text: string) => {
  const head = parseRequestHead(b(text), 0, headEnd(b(text)));
  assert.ok(head, text);
  return head;
};
const res = (text: string) => {
  const head = parseResponseHead(b(text), 0, headEnd(b(text)));
  assert.ok(head, text);
  return head;
};

/** Feeds `text` in pieces of `step` bytes; returns how many bytes the body took and the framing. */
function feed(framing: BodyFraming, text: string, step: number): number {
  const bytes = b(text);
  let taken = 0;
  for (let i = 0; i < bytes.length && !framing.done && !framing.error; i += step) {
    const piece = bytes.subarray(i, Math.min(i + step, bytes.length));
    taken += framing.take(piece, 0);
  }
  return taken;
}

describe('HTTP/1.x body framing', () => {
  const chunked = '4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n';

  it('finds the end of a chunked body with extensions and trailers, whatever the split', () => {
    for (const step of [1, 2, 3, 7, 1000]) {
      const framing = new ChunkedBody();
      assert.equal(feed(framing, `${chunked}NEXT`, step), chunked.length, `step ${step}`);
      assert.equal(framing.done, true);
    }
  });

  it('hands the chunk data alone to onData (extensions, sizes and trailers left out), whatever the split', () => {
    for (const step of [1, 3, 1000]) {
      const data: Buffer[] = [];
      const framing = new ChunkedBody((bytes) => data.push(Buffer.from(bytes)));
      feed(framing, chunked, step);
      assert.equal(Buffer.concat(data).toString('latin1'), 'Wikipedia in\r\n\r\nchunks.', `step ${step}`);
    }
  });

  it('stops at the end of a chunked body inside one buffer and leaves what follows', () => {
    const framing = new ChunkedBody();
    const bytes = b(`XX3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n`);
    assert.equal(framing.take(bytes, 2), 13);
    assert.equal(framing.done, true);
  });

  it('refuses chunk framing that is not exactly CRLF-terminated hex sizes', () => {
    const bad = ['3\nabc\r\n0\r\n\r\n', '3\r\nabcX\r\n', 'g\r\n', '\r\n', '3\r\nabc\r\n0\r\n\n', '3 x\r\n'];
    for (const text of bad) {
      const framing = new ChunkedBody();
      feed(framing, text, 1);
      assert.equal(framing.error, true, JSON.stringify(text));
    }
    const huge = new ChunkedBody();
    feed(huge, 'ffffffffffffffff\r\n', 100);
    assert.equal(huge.error, true);
  });

  it('counts a Content-Length body down and leaves the rest', () => {
    const framing = new LengthBody(5);
    assert.equal(framing.take(b('abc'), 0), 3);
    assert.equal(framing.take(b('deGET'), 0), 2);
    assert.equal(framing.done, true);
  });

  it('reads Content-Length while parsing, accepting identical repeats and refusing anything else', () => {
    assert.equal(req('POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n').fields.contentLength, 12);
    assert.equal(req('POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n').fields.contentLength, 3);
    assert.equal(
      req('POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n').fields.contentLength,
      -1,
    );
    assert.equal(req('POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n').fields.contentLength, -1);
    assert.equal(req('POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n').fields.contentLength, -1);
    assert.equal(req('GET / HTTP/1.1\r\n\r\n').fields.contentLength, undefined);
  });

  it('frames request bodies by chunked, then Content-Length, else none', () => {
    assert.ok(
      requestBody(req('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n')) instanceof ChunkedBody,
    );
    assert.ok(
      requestBody(req('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n')) instanceof ChunkedBody,
    );
    assert.ok(requestBody(req('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n')) instanceof LengthBody);
    assert.equal(requestBody(req('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n'))?.done, true);
    assert.equal(requestBody(req('GET / HTTP/1.1\r\n\r\n'))?.done, true);
  });

  it('refuses requests whose length is ambiguous (request smuggling)', () => {
    const ambiguous = [
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n',
      'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ];
    for (const text of ambiguous) assert.equal(requestBody(req(text)), undefined, JSON.stringify(text));
  });

  it('gives no body to HEAD answers, 1xx, 204 and 304, even with a Content-Length', () => {
    const withLength = res('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n');
    assert.equal(responseBody('HEAD', withLength)?.done, true);
    assert.equal(responseBody('GET', withLength)?.done, false);
    for (const status of ['100 Continue', '204 No Content', '304 Not Modified']) {
      assert.equal(responseBody('GET', res(`HTTP/1.1 ${status}\r\nContent-Length: 10\r\n\r\n`))?.done, true);
    }
  });

  it('frames responses by chunked, Content-Length, or the end of the connection', () => {
    assert.ok(
      responseBody('GET', res('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')) instanceof
        ChunkedBody,
    );
    assert.equal(responseBody('GET', res('HTTP/1.1 200 OK\r\n\r\n'))?.untilClose, true);
    assert.equal(responseBody('GET', res('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')), undefined);
  });

  it('refuses a request whose Transfer-Encoding is empty or only commas, beside a Content-Length or not', () => {
    // RFC 9112 §6.3 rules 3-4: the field's presence decides, whatever its value; HAProxy answers 400.
    const refused = [
      'POST / HTTP/1.1\r\nTransfer-Encoding:\r\nContent-Length: 3\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: ,\r\nContent-Length: 3\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding:  \r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding:\r\nContent-Length: 3\r\n\r\n',
    ];
    for (const text of refused) assert.equal(requestBody(req(text)), undefined, JSON.stringify(text));
  });

  it('refuses a response whose codings do not end in one chunked, or that carries Transfer-Encoding in HTTP/1.0', () => {
    // RFC 9112 §6.1 (TE in HTTP/1.0 is faulty framing) and §6.3 rule 3: HAProxy answers 502 to these too.
    const refused = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n',
      'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
    ];
    for (const text of refused) assert.equal(responseBody('GET', res(text)), undefined, JSON.stringify(text));
    const both = res('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 2\r\n\r\n');
    assert.ok(
      responseBody('GET', both) instanceof ChunkedBody,
      'TE overrides CL in a response (§6.3 rule 3)',
    );
  });

  it('keeps HTTP/1.1 connections open unless closed, and HTTP/1.0 ones only with keep-alive', () => {
    assert.equal(closesAfter(req('GET / HTTP/1.1\r\n\r\n')), false);
    assert.equal(closesAfter(req('GET / HTTP/1.1\r\nConnection: close\r\n\r\n')), true);
    assert.equal(closesAfter(req('GET / HTTP/1.0\r\n\r\n')), true);
    assert.equal(closesAfter(req('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n')), false);
  });

  it('wants exactly one Host in HTTP/1.1 requests and at most one in HTTP/1.0 ones', () => {
    assert.equal(hostValid(req('GET / HTTP/1.1\r\nHost: a\r\n\r\n')), true);
    assert.equal(hostValid(req('GET / HTTP/1.1\r\n\r\n')), false);
    assert.equal(hostValid(req('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')), false);
    assert.equal(hostValid(req('GET / HTTP/1.0\r\n\r\n')), true);
  });

  it('refuses an absolute-form target whose authority is empty or has userinfo, as it would replace Host', () => {
    // RFC 9112 §3.2.2 (the target's authority is the host), RFC 9110 §4.2.1 and §4.2.4.
    assert.equal(hostValid(req('GET http://b.example/ HTTP/1.1\r\nHost: a\r\n\r\n')), true);
    assert.equal(hostValid(req('GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n')), false);
    assert.equal(hostValid(req('GET http://u:p@b.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n')), false);
  });

  it('refuses a response with conflicting Content-Length values even when it has no body (HEAD, 204, 304)', () => {
    const conflicting = res('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n');
    assert.equal(responseBody('HEAD', conflicting), undefined);
    assert.equal(
      responseBody('GET', res('HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n')),
      undefined,
    );
  });
});
