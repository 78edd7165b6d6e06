// The HTTP/1.1 response head a member answered (already re-written for the client: persistence, HSTS) as
// the header list of an HTTP/2 response (RFC 9113 §8.3.2 :status), without the connection-specific fields
// HTTP/2 forbids (§8.2.2): the body goes in DATA frames, never in the chunked coding.
import type { OutgoingHttpHeaders } from 'node:http2';
import type { ResponseHead } from './http1-head.ts';

/**
 * RFC 9113 §8.2.2: fields that only mean something to one HTTP/1.1 connection; an HTTP/2 message with one is
 * malformed (te excepted, when it says `trailers`), so they are dropped on the way to HTTP/2.
 */
export const CONNECTION_SPECIFIC = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
]);

/**
 * The HTTP/2 header object of `head`. Repeated fields are combined into one list value (RFC 9110 §5.3),
 * Set-Cookie excepted (it cannot be combined, RFC 9110 §5.3 note): Node refuses a repeated singleton
 * field such as Content-Type, which a member may still send. Fields its Connection field lists went with
 * the HTTP/1 rewrite (clientResponseHead).
 */
export function h2ResponseHeaders(head: ResponseHead): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ':status': head.status };
  const cookies: string[] = [];
  for (const h of head.headers) {
    const name = h.lower;
    if (CONNECTION_SPECIFIC.has(name)) continue;
    if (name === 'set-cookie') {
      cookies.push(h.value);
      continue;
    }
    const before = out[name];
    out[name] = before === undefined ? h.value : `${before}, ${h.value}`;
  }
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}
