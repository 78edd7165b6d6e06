// An HTTP/2 request's header list turned into the HTTP/1.1 request head the HTTP/1 path parses and routes
// (RFC 9113 §8.3.1 pseudo-header fields, §8.2.3 cookies), so an h2 request meets the same parser, limits,
// L7 rules and member head rewrite as an HTTP/1 one; members keep speaking HTTP/1.1.
import { CONNECTION_SPECIFIC } from './h2-response-headers.ts';
import { hostValid } from './http1-framing.ts';
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from './http1-head.ts';

export type H2RequestHead = Readonly<{
  head: RequestHead;
  /** the request has a body without content-length: it goes to the member in the chunked coding */
  chunked: boolean;
}>;

/**
 * The request head for `raw` (Node's flat [name, value, …] list, names lower-case); undefined when the
 * request is malformed or cannot be served (→ 400): CONNECT (no tunnels over h2 here), a Host that names
 * another authority than :authority (§8.3.1), connection-specific fields (§8.2.2), no authority at all, or
 * a head that the HTTP/1 parser refuses (controls, too many fields, larger than MAX_HEAD_BYTES).
 */
export function h2RequestHead(raw: readonly string[], bodyless: boolean): H2RequestHead | undefined {
  let method: string | undefined;
  let path: string | undefined;
  let authority: string | undefined;
  let host: string | undefined;
  let cookie: string | undefined;
  let length = false;
  let fields = '';
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    switch (name) {
      case ':method':
        method = value;
        continue;
      case ':path':
        path = value;
        continue;
      case ':authority':
        authority = value;
        continue;
      case ':scheme':
        continue;
      case 'host':
        if (host !== undefined) return undefined;
        host = value;
        continue;
      case 'cookie':
        // §8.2.3: cookie crumbs sent as separate fields are joined with "; " for HTTP/1.1.
        cookie = cookie === undefined ? value : `${cookie}; ${value}`;
        continue;
      case 'te':
        // §8.2.2: te may only say `trailers`; hop-by-hop, it is not forwarded (RFC 9110 §7.6.1).
        if (value.trim().toLowerCase() !== 'trailers') return undefined;
        continue;
      case 'content-length':
        length = true;
        break;
    }
    if (name.startsWith(':') || CONNECTION_SPECIFIC.has(name)) return undefined;
    fields += `${name}: ${value}\r\n`;
  }
  if (method === undefined || path === undefined || method === 'CONNECT') return undefined;
  // §8.3.1: a Host that differs from :authority makes the request malformed; without :authority, Host is
  // the authority, and an intermediary forwarding over HTTP/1.1 sends :authority as Host.
  if (authority !== undefined && host !== undefined && host.toLowerCase() !== authority.toLowerCase()) {
    return undefined;
  }
  const hostLine = authority ?? host;
  const chunked = !bodyless && !length;
  let text = `${method} ${path} HTTP/1.1\r\n`;
  if (hostLine !== undefined) text += `host: ${hostLine}\r\n`;
  text += fields;
  if (cookie !== undefined) text += `cookie: ${cookie}\r\n`;
  if (chunked) text += 'transfer-encoding: chunked\r\n';
  text += '\r\n';
  // Node hands header values over as latin1 strings (one byte per character): the bytes go back as they came.
  const bytes = Buffer.from(text, 'latin1');
  if (bytes.length > MAX_HEAD_BYTES) return undefined;
  const head = parseRequestHead(bytes, 0, bytes.length);
  // RFC 9112 §3.2 as for HTTP/1.1: one Host (from :authority or Host) and no other.
  return head && hostValid(head) ? { head, chunked } : undefined;
}
