// How a tenant string becomes one word of haproxy.cfg without injecting anything: escaping per the HAProxy 2.6
// manual §2.2 "Quoting and escaping", plus the validations for strings that must not be escaped (ids, fetch
// arguments, URLs that end up in response headers). Pure; a refusal is a RenderRefusal with a reason.
import net from 'node:net';

/** A tenant value that cannot be written safely; `message` is the reason in the API's 501 words. */
export class RenderRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderRefusal';
  }
}

/**
 * One unquoted config word that the parser reads back as exactly `value` (manual §2.2): backslash escapes for
 * space, `#`, `\`, `'`, `"`, and the C escapes / `\xNN` for control characters. Outside quotes `$` is not
 * expanded, so it stays as it is. NUL cannot be carried and is refused.
 */
export function configWord(value: string, what: string): string {
  if (value.length === 0) throw new RenderRefusal(`${what} is empty`);
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0) throw new RenderRefusal(`${what} contains a NUL character`);
    if (ch === ' ' || ch === '#' || ch === '\\' || ch === "'" || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Object ids name proxies, servers, ACLs and cookies: HAProxy's identifier charset minus `:` (our separator). */
export function safeId(id: string, what: string): string {
  if (!ID.test(id)) throw new RenderRefusal(`${what} id '${printable(id)}' is not a plain identifier`);
  return id;
}

// RFC 9110 token characters except `'` and `` ` ``: a fetch argument such as `req.hdr(<name>)` goes through a
// second argument parser that treats quotes specially (manual §2.2, last part), so quotes are refused.
const TOKEN = /^[A-Za-z0-9!#$%&*+.^_|~-]{1,255}$/;

/** A header or cookie name used as a sample-fetch argument; `#` is escaped for the top-level parser. */
export function fetchArgument(name: string, what: string): string {
  if (!TOKEN.test(name)) throw new RenderRefusal(`${what} '${printable(name)}' is not an HTTP token`);
  return name.replaceAll('#', '\\#');
}

/**
 * A redirect target: it becomes a `Location` header, so control characters and spaces (header injection,
 * response splitting) are refused rather than escaped (the API refuses them too, reference §8.1). The standalone
 * `redirect` keyword places <loc>/<pfx> exactly (manual §4.2 "redirect"; only `http-request redirect` reads
 * log-format), so `%` stays as it is.
 */
export function redirectTarget(url: string, what: string): string {
  if (hasSpaceOrControl(url)) throw new RenderRefusal(`${what} contains a space or control character`);
  if (!/^https?:\/\/[^/?#]+/i.test(url)) throw new RenderRefusal(`${what} is not an absolute http(s) URL`);
  return configWord(url, what);
}

/** A health-check request path: no whitespace or control characters (they would break the request line). */
export function checkPath(path: string): string {
  if (!path.startsWith('/') || hasSpaceOrControl(path)) {
    throw new RenderRefusal(`health monitor url_path '${printable(path)}' is not a plain absolute path`);
  }
  return configWord(path, 'health monitor url_path');
}

const HOSTNAME =
  /^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function checkDomain(domain: string): string {
  if (!HOSTNAME.test(domain)) {
    throw new RenderRefusal(`health monitor domain_name '${printable(domain)}' is not a host name`);
  }
  return domain;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'CONNECT', 'PATCH']);

export function checkMethod(method: string): string {
  if (!METHODS.has(method)) throw new RenderRefusal(`health monitor http_method '${printable(method)}'`);
  return method;
}

/**
 * expected_codes (`200`, `200,202`, `200-204`, reference §7) as the alternation `http-check expect rstatus`
 * takes, ranges expanded the way Octavia does, anchored so `20` never matches `200`.
 */
export function expectedCodesRegex(codes: string): string {
  const trimmed = codes.trim();
  const range = /^(\d{3})-(\d{3})$/.exec(trimmed);
  let list: string[];
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    if (high < low) throw new RenderRefusal(`health monitor expected_codes '${printable(codes)}'`);
    list = Array.from({ length: high - low + 1 }, (_, i) => String(low + i));
  } else if (/^\d{3}(\s*,\s*\d{3})*$/.test(trimmed)) {
    list = trimmed.split(',').map((code) => code.trim());
  } else {
    throw new RenderRefusal(`health monitor expected_codes '${printable(codes)}'`);
  }
  return `^(${list.join('|')})$`;
}

/** An IP address as a `bind`/`server` address: IPv6 gets brackets-free `ipv6@` form HAProxy parses. */
export function addressWithPort(address: string, port: number, what: string): string {
  const family = net.isIP(address);
  if (family === 0) throw new RenderRefusal(`${what} address '${printable(address)}' is not an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RenderRefusal(`${what} port ${port}`);
  return family === 6 ? `ipv6@${address}:${port}` : `${address}:${port}`;
}

export function ipAddress(address: string, what: string): string {
  if (net.isIP(address) === 0) {
    throw new RenderRefusal(`${what} address '${printable(address)}' is not an IP address`);
  }
  return address;
}

/** A CIDR for `src` matching; host bits are allowed (reference §4.1 says they are normalised anyway). */
export function cidr(value: string): string {
  const [address, prefix, extra] = value.split('/');
  const family = net.isIP(address ?? '');
  const bits = Number(prefix);
  const max = family === 6 ? 128 : 32;
  if (family === 0 || extra !== undefined || !/^\d{1,3}$/.test(prefix ?? '') || bits > max) {
    throw new RenderRefusal(`allowed_cidrs entry '${printable(value)}' is not a CIDR`);
  }
  return `${address}/${bits}`;
}

/** Whether `value` holds a space, a C0 control character or DEL. */
function hasSpaceOrControl(value: string): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A tenant string quoted for a human-readable reason (control characters shown escaped). */
export function printable(value: string): string {
  const shown = JSON.stringify(value).slice(1, -1);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
