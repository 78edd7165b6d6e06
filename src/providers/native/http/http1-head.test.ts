// HTTP/1.x head parsing: where a head ends, request and status lines, field lines, and what is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  headEnd,
  headerValue,
  MAX_HEADERS,
  parseRequestHead,
  parseResponseHead,
  skipEmptyLines,
} from './http1-head.ts';

const b = (text: string) => Buffer.from(text, 'latin1');
const request = (text: string) => {
  const buf = b(text);
  const start = skipEmptyLines(buf);
  const end = headEnd(buf, start);
  return end < 0 ? 'incomplete' : parseRequestHead(buf, start, end);
};

describe('HTTP/1.x heads', () => {
  it('finds the end of a head with CRLF or bare LF line ends, and waits for a partial one', () => {
    assert.equal(headEnd(b('GET / HTTP/1.1\r\nHost: a\r\n\r\nrest')), 27);
    assert.equal(headEnd(b('GET / HTTP/1.1\nHost: a\n\nrest')), 24);
    assert.equal(headEnd(b('GET / HTTP/1.1\r\nHost: a\r\n')), -1);
    assert.equal(headEnd(b('GET / HTTP/1.1\r\nHost: a\r\n\r')), -1);
    assert.equal(headEnd(b('GET / HTTP/1.1\r\n')), -1);
  });

  it('skips empty lines before a request line', () => {
    const buf = b('\r\n\r\nGET / HTTP/1.1\r\n\r\n');
    assert.equal(skipEmptyLines(buf), 4);
    assert.equal(skipEmptyLines(b('GET')), 0);
  });

  it('parses the request line and field lines once, keeping names as sent and values trimmed', () => {
    const head = request(
      'POST /a?b=c HTTP/1.1\r\nHost: x\r\nX-Thing:   spaced value \t\r\nCookie: a=1\r\n\r\n',
    );
    assert.ok(head && head !== 'incomplete');
    assert.equal(head.method, 'POST');
    assert.equal(head.target, '/a?b=c');
    assert.equal(head.minor, 1);
    assert.deepEqual(head.headers[1], { name: 'X-Thing', lower: 'x-thing', value: 'spaced value' });
    const old = request('GET / HTTP/1.0\r\n\r\n');
    assert.equal(old !== 'incomplete' && old?.minor, 0);
  });

  it('refuses malformed request heads', () => {
    const bad = [
      'NOT HTTP AT ALL\r\n\r\n',
      'GET / HTTP/2.0\r\n\r\n',
      'GET  / HTTP/1.1\r\n\r\n',
      'GET /a b HTTP/1.1\r\n\r\n',
      'G(T / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost : x\r\n\r\n', // whitespace before the colon (RFC 9112 §5.1)
      'GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n', // obs-fold
      'GET / HTTP/1.1\r\nNoColon\r\n\r\n',
      'GET / HTTP/1.1\r\nX: a\rb\r\n\r\n', // bare CR
      'GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n', // NUL
      'GET /\x7f HTTP/1.1\r\n\r\n',
      'GET /\xe9 HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1 \r\n\r\n',
      'GET /  HTTP/1.1\r\n\r\n',
      'GET HTTP/1.1\r\n\r\n',
      ' / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.x\r\n\r\n',
      'GET / http/1.1\r\n\r\n',
      'GET /\tx HTTP/1.1\r\n\r\n',
    ];
    for (const text of bad) assert.equal(request(text), undefined, JSON.stringify(text));
  });

  it(`refuses more than ${MAX_HEADERS} field lines, like HAProxy's tune.http.maxhdr`, () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `X-${i}: v\r\n`).join('');
    assert.ok(request(`GET / HTTP/1.1\r\n${fields(MAX_HEADERS)}\r\n`));
    assert.equal(request(`GET / HTTP/1.1\r\n${fields(MAX_HEADERS + 1)}\r\n`), undefined);
  });

  it('parses status lines with or without a reason phrase and refuses others', () => {
    const parse = (text: string) => parseResponseHead(b(text), 0, headEnd(b(text)));
    const ok = parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n');
    assert.equal(ok?.status, 200);
    assert.equal(ok?.statusLine, 'HTTP/1.1 200 OK');
    const line = b('PATCH http://a/x?y=1 HTTP/1.7\r\nHost: a\r\n\r\n');
    const request9 = parseRequestHead(line, 0, headEnd(line));
    assert.deepEqual([request9?.method, request9?.target, request9?.minor], ['PATCH', 'http://a/x?y=1', 1]);
    assert.equal(parse('HTTP/1.0 204\r\n\r\n')?.minor, 0);
    assert.equal(parse('HTTP/1.1 099 Low\r\n\r\n'), undefined);
    assert.equal(parse('HTTP/1.1 2000 OK\r\n\r\n'), undefined);
    assert.equal(parse('ICY 200 OK\r\n\r\n'), undefined);
    assert.equal(parse('HTTP/1.1 999 Odd\tbut fine \xe9\r\n\r\n')?.status, 999);
    assert.equal(parse('HTTP/1.1 200 \r\n\r\n')?.statusLine, 'HTTP/1.1 200 ');
    assert.equal(parse('HTTP/1.9 200 OK\r\n\r\n')?.minor, 1);
    for (const bad of [
      'HTTP/1.1 20 OK',
      'HTTP/1.1  200 OK',
      'HTTP/1.1 200OK',
      'HTTP/1.1 2x0 OK',
      'HTTP/1. 200',
    ]) {
      assert.equal(parse(`${bad}\r\n\r\n`), undefined, bad);
    }
  });

  it('joins repeated fields and gathers Connection tokens lower-cased while parsing', () => {
    const head = request('GET / HTTP/1.1\r\nX-F: a\r\nConnection: Keep-Alive, Upgrade\r\nX-F: b\r\n\r\n');
    assert.ok(head && head !== 'incomplete');
    assert.equal(headerValue(head.headers, 'x-f'), 'a, b');
    assert.equal(headerValue(head.headers, 'none'), undefined);
    assert.deepEqual(head.fields.connection, ['keep-alive', 'upgrade']);
  });
});
