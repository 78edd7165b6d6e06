// HTTP/1.x message heads as the native data plane reads them off raw sockets (RFC 9112 §2-§5): finding the
// blank line that ends a head, then the start line and the field lines, parsed once. Heads are re-serialized
// on the way out, so what is accepted here (bare LF line ends, leading empty lines) never reaches a member.
import { targetAuthority } from './http1-target.ts';

/** HAProxy's largest head: tune.bufsize 16384 minus tune.maxrewrite 1024 (HAProxy manual §3.2). */
export const MAX_HEAD_BYTES = 15360;
/** HAProxy `tune.http.maxhdr`: more field lines than this is a 400. */
export const MAX_HEADERS = 101;

export type HeaderLine = Readonly<{ name: string; lower: string; value: string }>;

/** The fields that decide framing and connection handling, gathered while parsing (one pass). */
export type FramingFields = Readonly<{
  /** lower-cased Connection tokens */
  connection: readonly string[];
  /** lower-cased Transfer-Encoding codings, in order (empty list elements ignored, RFC 9110 §5.6.1) */
  transferEncoding: readonly string[];
  /** how many Transfer-Encoding field lines, even empty ones: their presence alone changes framing */
  transferEncodingFields: number;
  /** undefined when absent, -1 when invalid or inconsistent (RFC 9112 §6.3 rule 5) */
  contentLength: number | undefined;
  /** how many Host field lines */
  hosts: number;
}>;

export type RequestHead = Readonly<{
  method: string;
  target: string;
  /** the authority of an absolute-form target: it is the request's host (RFC 9112 §3.2.2) */
  authority: string | undefined;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (a higher 1.x minor is served as 1.1, RFC 9110 §6.2) */
  minor: number;
  headers: readonly HeaderLine[];
  fields: FramingFields;
}>;

export type ResponseHead = Readonly<{
  minor: number;
  status: number;
  /** the status line without its line end, relayed as the member wrote it */
  statusLine: string;
  headers: readonly HeaderLine[];
  fields: FramingFields;
}>;

const LF = 0x0a;
const CR = 0x0d;
/** tchar (RFC 9110 §5.6.2) by ASCII code: a table lookup per byte instead of a regular expression per name. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TCHAR[c.charCodeAt(0)] = 1;
/** ` HTTP/1.` : what ends a request line before its minor digit, and (without the space) starts a status line. */
const VERSION = ' HTTP/1.';

/**
 * Where the head starting at `start` ends: the index just past its empty line, or -1 while incomplete.
 * A line ends with LF, optionally preceded by CR (RFC 9112 §2.2 lets a recipient accept a bare LF).
 */
export function headEnd(buf: Buffer, start = 0): number {
  let lf = buf.indexOf(LF, start);
  while (lf >= 0) {
    const next = buf[lf + 1];
    if (next === undefined) return -1;
    if (next === LF) return lf + 2;
    if (next === CR) {
      const after = buf[lf + 2];
      if (after === undefined) return -1;
      if (after === LF) return lf + 3;
    }
    lf = buf.indexOf(LF, lf + 1);
  }
  return -1;
}

/** Skips the empty lines a client may send before a request line (RFC 9112 §2.2); returns the new start. */
export function skipEmptyLines(buf: Buffer, start = 0): number {
  let i = start;
  while (i < buf.length && (buf[i] === LF || (buf[i] === CR && buf[i + 1] === LF)))
    i += buf[i] === CR ? 2 : 1;
  return i;
}

/**
 * Controls other than HTAB, and a CR not followed by LF, are invalid anywhere in a head (RFC 9110 §5.5,
 * RFC 9112 §2.2): refused rather than guessed at. One pass over the bytes.
 */
function badBytes(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c >= 0x20) {
      if (c === 0x7f) return true;
    } else if (c === CR) {
      if (buf[i + 1] !== LF) return true;
    } else if (c !== LF && c !== 0x09) return true;
  }
  return false;
}

type Lines = { first: string; headers: HeaderLine[]; fields: FramingFields };

/** Collects FramingFields as field lines go by. */
class FieldCollector {
  connection: string[] = [];
  transferEncoding: string[] = [];
  transferEncodingFields = 0;
  contentLength: number | undefined;
  hosts = 0;

  add(lower: string, value: string): void {
    switch (lower) {
      case 'connection':
        tokens(value, this.connection);
        break;
      case 'transfer-encoding':
        this.transferEncodingFields++;
        tokens(value, this.transferEncoding);
        break;
      case 'content-length':
        this.contentLength = mergeLength(this.contentLength, value);
        break;
      case 'host':
        this.hosts++;
        break;
    }
  }
}

/** Adds the lower-cased, non-empty items of a comma-separated list value to `out`. */
function tokens(value: string, out: string[]): void {
  if (!value.includes(',')) {
    if (value) out.push(value.toLowerCase());
    return;
  }
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token) out.push(token);
  }
}

/** Content-Length so far combined with one more value: identical repeats are fine, anything else is -1. */
function mergeLength(so: number | undefined, value: string): number | undefined {
  if (so === -1) return -1;
  let length = so;
  for (const part of value.includes(',') ? value.split(',') : [value]) {
    const text = part.trim();
    if (!/^[0-9]{1,15}$/.test(text)) return -1;
    const n = Number(text);
    if (length !== undefined && length !== n) return -1;
    length = n;
  }
  return length;
}

/**
 * The start line and the field lines `name: value` of the head in buf[start, end); undefined when one is
 * malformed (RFC 9112 §5: no whitespace before the colon, no obs-fold, a token name). Works on one string
 * with indexOf, making substrings only for what is kept.
 */
function splitHead(buf: Buffer, start: number, end: number): Lines | undefined {
  if (badBytes(buf, start, end)) return undefined;
  const text = buf.toString('latin1', start, end);
  let lf = text.indexOf('\n');
  const first = text.slice(0, lf > 0 && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf);
  const headers: HeaderLine[] = [];
  const fields = new FieldCollector();
  let at = lf + 1;
  for (;;) {
    lf = text.indexOf('\n', at);
    if (lf < 0) return undefined; // cannot happen for a head from headEnd; refuse if it does
    const lineEnd = text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (lineEnd === at) break; // the empty line
    if (headers.length === MAX_HEADERS) return undefined;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > lineEnd) return undefined;
    if (!isToken(text, at, colon)) return undefined;
    const name = text.slice(at, colon);
    const lower = name.toLowerCase();
    const value = trimOws(text, colon + 1, lineEnd);
    headers.push({ name, lower, value });
    fields.add(lower, value);
    at = lf + 1;
  }
  return { first, headers, fields };
}

/** text[from, to) is a non-empty token (RFC 9110 §5.6.2): a field name. */
function isToken(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** text[from, to) without the optional whitespace (SP / HTAB) around a field value (RFC 9110 §5.5). */
function trimOws(text: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && (text.charCodeAt(a) === 0x20 || text.charCodeAt(a) === 0x09)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 0x20 || text.charCodeAt(b - 1) === 0x09)) b--;
  return text.slice(a, b);
}

/** A digit's value, or -1 (c a char code). */
function digit(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

/**
 * `method SP request-target SP HTTP/1.d` (RFC 9112 §3): a token method, a target of visible characters, and
 * the version; scanned by index rather than with a regular expression (this runs for every request).
 */
function requestLine(line: string): { method: string; target: string; minor: number } | undefined {
  const space = line.indexOf(' ');
  const versionAt = line.length - VERSION.length - 1;
  if (space <= 0 || versionAt <= space + 1 || !line.startsWith(VERSION, versionAt)) return undefined;
  const minor = digit(line.charCodeAt(line.length - 1));
  if (minor < 0 || !isToken(line, 0, space)) return undefined;
  for (let i = space + 1; i < versionAt; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return undefined;
  }
  return { method: line.slice(0, space), target: line.slice(space + 1, versionAt), minor };
}

/**
 * `HTTP/1.d SP 3DIGIT [SP reason-phrase]` (RFC 9112 §4; the status is 100-999). The reason phrase needs no
 * check here: badBytes already refused every control character but HTAB in the head.
 */
function statusLine(line: string): { minor: number; status: number } | undefined {
  if (line.length < 12 || !line.startsWith('HTTP/1.') || line.charCodeAt(8) !== 0x20) return undefined;
  if (line.length > 12 && line.charCodeAt(12) !== 0x20) return undefined;
  const minor = digit(line.charCodeAt(7));
  const a = digit(line.charCodeAt(9));
  const b = digit(line.charCodeAt(10));
  const c = digit(line.charCodeAt(11));
  if (minor < 0 || a < 1 || b < 0 || c < 0) return undefined;
  return { minor, status: a * 100 + b * 10 + c };
}

/** Parses the request head in buf[start, end) (end from headEnd); undefined when malformed (→ 400). */
export function parseRequestHead(buf: Buffer, start: number, end: number): RequestHead | undefined {
  const head = splitHead(buf, start, end);
  const line = head && requestLine(head.first);
  if (!head || !line) return undefined;
  const { headers, fields } = head;
  const { method, target } = line;
  const minor = line.minor === 0 ? 0 : 1;
  return { method, target, authority: targetAuthority(target), minor, headers, fields };
}

/** Parses the response head in buf[start, end); undefined when malformed (→ 502). */
export function parseResponseHead(buf: Buffer, start: number, end: number): ResponseHead | undefined {
  const head = splitHead(buf, start, end);
  const line = head && statusLine(head.first);
  if (!head || !line) return undefined;
  return {
    minor: line.minor === 0 ? 0 : 1,
    status: line.status,
    statusLine: head.first,
    headers: head.headers,
    fields: head.fields,
  };
}

/** The values of every field line named `lower`, joined as one list (RFC 9110 §5.3); undefined if none. */
export function headerValue(headers: readonly HeaderLine[], lower: string): string | undefined {
  let value: string | undefined;
  for (const h of headers) {
    if (h.lower !== lower) continue;
    value = value === undefined ? h.value : `${value}, ${h.value}`;
  }
  return value;
}
