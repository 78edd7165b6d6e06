// A member's HTTP/1.1 response head as HTTP/2 response headers (RFC 9113 §8.2.2, §8.3.2).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { h2ResponseHeaders } from './h2-response-headers.ts';
import { parseResponseHead } from './http1-head.ts';

function head(text: string) {
  const bytes = Buffer.from(`${text}\r\n\r\n`, 'latin1');
  const parsed = parseResponseHead(bytes, 0, bytes.length);
  assert.ok(parsed);
  return parsed;
}

it('drops connection-specific fields, combines repeated ones and keeps every Set-Cookie apart', () => {
  const response = head(
    [
      'HTTP/1.1 200 OK',
      'Transfer-Encoding: chunked',
      'Connection: keep-alive',
      'Keep-Alive: timeout=5',
      'Upgrade: h2c',
      'Content-Type: a',
      'Content-Type: b',
      'Set-Cookie: a=1',
      'Set-Cookie: b=2, c=3',
      'Vary: accept',
    ].join('\r\n'),
  );
  assert.deepEqual(h2ResponseHeaders(response), {
    ':status': 200,
    'content-type': 'a, b',
    'set-cookie': ['a=1', 'b=2, c=3'],
    vary: 'accept',
  });
});
