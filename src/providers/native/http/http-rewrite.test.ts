// Heads as forwarded: one Content-Length line for identical repeats, Host from an absolute-form target, and
// the Content-Length of a chunked response dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientResponseHead, headWithBody, memberRequestHead } from './http-rewrite.ts';
import { headEnd, parseRequestHead, parseResponseHead } from './http1-head.ts';

const b = (text: string) => Buffer.from(text, 'latin1');
const req = (text: string) => {
  const head = parseRequestHead(b(text), 0, headEnd(b(text)));
  assert.ok(head, text);
  return memberRequestHead(head, { upgrade: false });
};
const res = (text: string) => {
  const head = parseResponseHead(b(text), 0, headEnd(b(text)));
  assert.ok(head, text);
  return clientResponseHead(head, {});
};

describe('HTTP/1.x head rewriting', () => {
  it('folds identical Content-Length repeats into one line, as HAProxy does (RFC 9110 §8.6)', () => {
    const two = 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX: y\r\nContent-Length: 3\r\n\r\n';
    assert.equal(req(two), 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX: y\r\n\r\n');
    const list = 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n';
    assert.equal(req(list), 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n');
    const answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n';
    assert.equal(res(answer), 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n');
  });

  it('drops the Content-Length of a response framed by Transfer-Encoding (RFC 9112 §6.3 rule 3)', () => {
    const both = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n';
    assert.equal(res(both), 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
  });

  it('sends the authority of an absolute-form target as Host, keeping the target (RFC 9112 §3.2.2)', () => {
    const text = 'GET http://b.example:81/x HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\n\r\n';
    assert.equal(
      req(text),
      'GET http://b.example:81/x HTTP/1.1\r\nHost: b.example:81\r\nAccept: */*\r\n\r\n',
    );
    const old = 'GET http://b.example/x HTTP/1.0\r\n\r\n';
    assert.equal(req(old), 'GET http://b.example/x HTTP/1.0\r\nhost: b.example\r\n\r\n');
    const origin = 'GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n';
    assert.equal(req(origin), origin);
  });

  it('writes a head with every byte value of a small body unchanged, and a large body as a buffer', () => {
    const head = 'HTTP/1.1 200 OK\r\ncontent-length: 256\r\n\r\n';
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const framed = Buffer.concat([b('junk'), bytes, b('next')]);
    const small = headWithBody(head, framed, 4, 260);
    assert.equal(typeof small, 'string');
    assert.deepEqual(Buffer.from(small as string, 'latin1'), Buffer.concat([b(head), bytes]));
    const big = Buffer.alloc(20000, 0xe9);
    const large = headWithBody(head, big, 0, big.length);
    assert.ok(Buffer.isBuffer(large));
    assert.deepEqual(large, Buffer.concat([b(head), big]));
    assert.equal(headWithBody(head, framed, 4, 4), head);
  });
});
