// Heads as the proxy re-writes them: the request a member gets (hop-by-hop fields dropped, RFC 9110 §7.6.1;
// SRV cookie hidden; X-Forwarded-* added as Octavia's HAProxy render does; Host from an absolute-form target;
// one Content-Length line) and the response head a client gets (the member's Connection fields replaced).
import type { RequestHead, ResponseHead } from './http1-head.ts';

export type MemberHeadOptions = Readonly<{
  /** rewrites (or drops, when undefined is returned) each Cookie field line: the SRV cookie is ours */
  cookie?: (value: string) => string | undefined;
  /** `option forwardfor`: one more X-Forwarded-For line with the client address (HAProxy appends a line) */
  forwardedFor?: string;
  /** `http-request set-header X-Forwarded-Port %[dst_port]` */
  forwardedPort?: string;
  /** `http-request set-header X-Forwarded-Proto http` (`https` on TERMINATED_HTTPS listeners) */
  forwardedProto?: string;
  /** further `http-request set-header` fields (lower-case name, value): the client's lines of them go */
  set?: readonly (readonly [string, string])[];
  /** the client asks to switch protocols (Upgrade): the request keeps Upgrade and `connection: upgrade` */
  upgrade: boolean;
}>;

/** Fields that frame the message: never dropped because a Connection field names them. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host']);

/** Header names a Connection field lists: they are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(tokens: readonly string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (const token of tokens) {
    if (token === 'close' || token === 'keep-alive' || FRAMING.has(token)) continue;
    listed ??= new Set();
    listed.add(token);
  }
  return listed;
}

/**
 * Identical Content-Length repeats (`3, 3`, or two lines) are one length (RFC 9110 §8.6): it goes on as one
 * line, as HAProxy sends it, since a receiver such as Node's llhttp refuses a repeated Content-Length.
 */
class OneLength {
  #value: string | undefined;
  constructor(length: number | undefined) {
    this.#value = length === undefined ? undefined : String(length);
  }
  /** The value of the next Content-Length line: the length the first time, then none (the line goes). */
  next(): string | undefined {
    const value = this.#value;
    this.#value = undefined;
    return value;
  }
}

/** The request head sent to a member, as latin1 text ending with the empty line. */
export function memberRequestHead(head: RequestHead, options: MemberHeadOptions): string {
  let out = `${head.method} ${head.target} HTTP/1.${head.minor}\r\n`;
  const listed = connectionListed(head.fields.connection);
  const { authority } = head;
  const length = new OneLength(head.fields.contentLength);
  for (const h of head.headers) {
    let value: string | undefined = h.value;
    switch (h.lower) {
      case 'host':
        // RFC 9112 §3.2.2: a proxy MUST replace Host with the authority of an absolute-form target (the
        // target itself goes on as it is, as HAProxy forwards it), so that the member sees one host.
        if (authority !== undefined) value = authority;
        break;
      case 'content-length':
        value = length.next();
        break;
      case 'connection':
      case 'keep-alive':
      case 'proxy-connection':
      case 'te':
        continue;
      case 'upgrade':
        if (!options.upgrade) continue;
        break;
      case 'cookie':
        if (options.cookie) value = options.cookie(h.value);
        break;
      case 'x-forwarded-port':
        if (options.forwardedPort !== undefined) continue;
        break;
      case 'x-forwarded-proto':
        if (options.forwardedProto !== undefined) continue;
        break;
      default:
        if (options.set?.some(([name]) => name === h.lower)) continue;
    }
    if (value === undefined || (listed?.has(h.lower) && h.lower !== 'upgrade')) continue;
    out += `${h.name}: ${value}\r\n`;
  }
  if (authority !== undefined && head.fields.hosts === 0) out += `host: ${authority}\r\n`;
  if (options.upgrade) out += 'connection: upgrade\r\n';
  if (options.forwardedFor !== undefined) out += `x-forwarded-for: ${options.forwardedFor}\r\n`;
  if (options.forwardedPort !== undefined) out += `x-forwarded-port: ${options.forwardedPort}\r\n`;
  if (options.forwardedProto !== undefined) out += `x-forwarded-proto: ${options.forwardedProto}\r\n`;
  if (options.set) for (const [name, value] of options.set) out += `${name}: ${value}\r\n`;
  return `${out}\r\n`;
}

export type ClientHeadOptions = Readonly<{
  /** one more Set-Cookie line (HTTP_COOKIE persistence inserts SRV) */
  setCookie?: string;
  /** replace Cache-Control with `private` (`cookie … nocache`) */
  cachePrivate?: boolean;
  /** the client connection's own Connection field, when one is needed */
  connection?: 'close' | 'keep-alive';
  /**
   * `http-response set-header Strict-Transport-Security` (Octavia's HSTS render): replaces the member's.
   * As an http-response rule it applies to member responses, not to the proxy's own answers.
   */
  hsts?: string;
}>;

/** The response head sent to the client, as latin1 text ending with the empty line. */
export function clientResponseHead(head: ResponseHead, options: ClientHeadOptions): string {
  let out = `${head.statusLine}\r\n`;
  const listed = connectionListed(head.fields.connection);
  // RFC 9112 §6.3 rule 3: with Transfer-Encoding, a Content-Length is removed before forwarding.
  const length = new OneLength(
    head.fields.transferEncodingFields > 0 ? undefined : head.fields.contentLength,
  );
  for (const h of head.headers) {
    let value: string | undefined = h.value;
    switch (h.lower) {
      case 'connection':
      case 'keep-alive':
      case 'proxy-connection':
        continue;
      case 'cache-control':
        if (options.cachePrivate) continue;
        break;
      case 'strict-transport-security':
        if (options.hsts !== undefined) continue;
        break;
      case 'content-length':
        value = length.next();
        break;
    }
    if (value === undefined || listed?.has(h.lower)) continue;
    out += `${h.name}: ${value}\r\n`;
  }
  if (options.setCookie !== undefined) out += `set-cookie: ${options.setCookie}\r\n`;
  if (options.cachePrivate) out += 'cache-control: private\r\n';
  if (options.connection) out += `connection: ${options.connection}\r\n`;
  if (options.hsts !== undefined) out += `strict-transport-security: ${options.hsts}\r\n`;
  return `${out}\r\n`;
}

/** One buffer holding a latin1 head and body[start, end): one write, one syscall. */
export function withHead(head: string, body?: Buffer, start = 0, end = body?.length ?? 0): Buffer {
  const out = Buffer.allocUnsafe(head.length + (end - start));
  out.write(head, 0, 'latin1');
  if (body && end > start) body.copy(out, head.length, start, end);
  return out;
}

/**
 * Below this many bytes a head and its first body bytes go to the socket as one latin1 string: Node copies a
 * string of up to 16 KiB onto its stack and tries the write at once (StreamBase::WriteString in
 * https://github.com/nodejs/node/blob/v24.x/src/stream_base.cc), where a Buffer would first be allocated and
 * filled here. latin1 maps each byte to one character and back, so any body bytes pass unchanged.
 */
const STRING_WRITE_MAX = 16384;

/** A head and body[start, end) for one socket write (with encoding 'latin1'): a string when small. */
export function headWithBody(head: string, body: Buffer, start: number, end: number): string | Buffer {
  if (end <= start) return head;
  if (head.length + (end - start) <= STRING_WRITE_MAX) return head + body.toString('latin1', start, end);
  return withHead(head, body, start, end);
}
