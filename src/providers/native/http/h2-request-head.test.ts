// The HTTP/1.1 head an HTTP/2 request becomes (RFC 9113 §8.3.1, §8.2.2, §8.2.3), checked by the same parser
// and limits as an HTTP/1 head.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { h2RequestHead } from './h2-request-head.ts';
import { MAX_HEAD_BYTES } from './http1-head.ts';

const PSEUDO = [':method', 'GET', ':scheme', 'https', ':authority', 'www.example.com', ':path', '/a?b=1'];

it('turns the pseudo-header fields into a request line and Host, and joins cookie crumbs with "; "', () => {
  const raw = [...PSEUDO, 'cookie', 'a=1', 'accept', '*/*', 'cookie', 'b=2'];
  const translated = h2RequestHead(raw, true);
  assert.ok(translated);
  const { head, chunked } = translated;
  assert.equal(chunked, false);
  assert.equal(head.method, 'GET');
  assert.equal(head.target, '/a?b=1');
  assert.equal(head.minor, 1);
  assert.deepEqual(
    head.headers.map((h) => [h.lower, h.value]),
    [
      ['host', 'www.example.com'],
      ['accept', '*/*'],
      ['cookie', 'a=1; b=2'],
    ],
  );
});

it('sends a body without content-length in the chunked coding, and one with it as it is', () => {
  const post = [...PSEUDO.slice(2), ':method', 'POST'];
  const streamed = h2RequestHead(post, false);
  assert.equal(streamed?.chunked, true);
  assert.deepEqual(streamed?.head.fields.transferEncoding, ['chunked']);
  const sized = h2RequestHead([...post, 'content-length', '5'], false);
  assert.equal(sized?.chunked, false);
  assert.equal(sized?.head.fields.contentLength, 5);
});

it('takes Host as the authority without :authority, and one Host equal to :authority once', () => {
  const noAuthority = [':method', 'GET', ':scheme', 'https', ':path', '/', 'host', 'a.example'];
  assert.deepEqual(
    h2RequestHead(noAuthority, true)?.head.headers.map((h) => h.value),
    ['a.example'],
  );
  const both = h2RequestHead([...PSEUDO, 'host', 'WWW.example.com'], true);
  assert.equal(both?.head.fields.hosts, 1);
});

it('refuses CONNECT, a Host naming another authority, connection-specific fields and te other than trailers', () => {
  assert.equal(h2RequestHead([':method', 'CONNECT', ':authority', 'x:443'], false), undefined);
  assert.equal(h2RequestHead([...PSEUDO, 'host', 'other.example.com'], true), undefined);
  for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']) {
    assert.equal(h2RequestHead([...PSEUDO, name, 'x'], true), undefined, name);
  }
  assert.equal(h2RequestHead([...PSEUDO, 'te', 'gzip'], true), undefined);
  const trailers = h2RequestHead([...PSEUDO, 'te', 'trailers'], true);
  assert.deepEqual(
    trailers?.head.headers.map((h) => h.lower),
    ['host'],
  );
});

it('refuses what the HTTP/1 parser refuses: a head beyond MAX_HEAD_BYTES, control characters', () => {
  assert.equal(h2RequestHead([...PSEUDO, 'x-big', 'y'.repeat(MAX_HEAD_BYTES)], true), undefined);
  assert.equal(h2RequestHead([...PSEUDO, 'x-bad', 'a\x01b'], true), undefined);
  assert.equal(h2RequestHead([':method', 'GET', ':path', '/'], true), undefined); // no host at all
});
