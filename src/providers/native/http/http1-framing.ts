// Message framing decisions of RFC 9112 §6.3 for the raw HTTP path: how long a request or response body
// is, and whether a connection stays open after a message (RFC 9112 §9.3). Ambiguous messages (both
// Transfer-Encoding and Content-Length in a request, TE on HTTP/1.0, a final coding other than chunked) are
// refused: 400 for a request, 502 for a response.
import { type BodyFraming, ChunkedBody, CloseDelimitedBody, LengthBody, NO_BODY } from './http1-body.ts';
import type { RequestHead, ResponseHead } from './http1-head.ts';
import { authorityUsable } from './http1-target.ts';

/** The framing of a request body, or undefined when it cannot be determined safely (→ 400 and close). */
export function requestBody(head: RequestHead): BodyFraming | undefined {
  const { transferEncodingFields, contentLength: length } = head.fields;
  if (transferEncodingFields > 0) {
    // A Transfer-Encoding field line counts even when its value is empty or only commas (`Transfer-Encoding:`,
    // `Transfer-Encoding: ,`): a member may see it as present and ignore the Content-Length beside it.
    // §6.1: a server MAY reject TE + CL and MUST treat TE in HTTP/1.0 as faulty; §6.3 rule 4: a request
    // whose final coding is not chunked has no reliable length. HAProxy refuses these with 400 too.
    if (length !== undefined || head.minor === 0 || !chunkedLast(head)) return undefined;
    return new ChunkedBody();
  }
  if (length === -1) return undefined;
  // §6.3 rule 7: a request with neither has no body.
  return length ? new LengthBody(length) : NO_BODY;
}

/** The codings end with chunked, applied once (RFC 9112 §6.1: chunked MUST NOT be applied twice). */
function chunkedLast(head: RequestHead | ResponseHead): boolean {
  const codings = head.fields.transferEncoding;
  return codings.length > 0 && codings.indexOf('chunked') === codings.length - 1;
}

/**
 * The framing of a response body to a request of `method` (§6.3 rules 1-8); undefined when the response
 * is unusable (→ 502). A 2xx to CONNECT and a 101 are tunnels, handled by the caller.
 */
export function responseBody(method: string, head: ResponseHead): BodyFraming | undefined {
  const { status } = head;
  const { transferEncodingFields, contentLength: length } = head.fields;
  // An invalid or conflicting Content-Length makes the response unusable even where no body follows
  // (HEAD, 204, 304): it would reach the client as it is (RFC 9112 §6.3 rule 5).
  if (length === -1) return undefined;
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return NO_BODY;
  if (transferEncodingFields > 0) {
    // §6.3 rule 3: Transfer-Encoding overrides Content-Length (which clientResponseHead drops). Rule 4 would
    // read any other final coding (`gzip`, an empty value) until the connection closes, but such a response
    // "might indicate an attempt to perform request smuggling or response splitting and ought to be
    // handled as an error" (rule 3), and §6.1 makes TE in an HTTP/1.0 message faulty framing: like
    // HAProxy, which answers 502 to `Transfer-Encoding: gzip`, the proxy refuses it.
    return head.minor === 1 && chunkedLast(head) ? new ChunkedBody() : undefined;
  }
  if (length === undefined) return new CloseDelimitedBody();
  return length === 0 ? NO_BODY : new LengthBody(length);
}

/** Whether the sender of a message closes its connection after it (RFC 9112 §9.3). */
export function closesAfter(head: RequestHead | ResponseHead): boolean {
  const tokens = head.fields.connection;
  return head.minor === 0 ? !tokens.includes('keep-alive') : tokens.includes('close');
}

/**
 * RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host field line (HTTP/1.0 at most one); anything
 * else is a 400. An absolute-form target's authority must be usable, as it replaces Host (§3.2.2).
 */
export function hostValid(head: RequestHead): boolean {
  const { hosts } = head.fields;
  if (head.authority !== undefined && !authorityUsable(head.authority)) return false;
  return hosts === 1 || (hosts === 0 && head.minor === 0);
}
