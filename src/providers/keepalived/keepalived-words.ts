// How a value becomes one word of keepalived.conf without injecting anything. keepalived's parser splits on
// whitespace, ends a line at `#` or `!`, substitutes `$NAME` and `${NAME}`, treats a leading `@` as a
// conditional, reads `include` lines and `{ }` blocks, and unquotes "…" and '…' (keepalived.conf(5),
// "Quoted strings", "Parameter substitution", "Conditional configuration";
// https://github.com/acassen/keepalived/blob/master/keepalived/core/parser.c). Rather than escape for all of
// that, every value is checked against a narrow allowlist that none of those characters is in.
import net from 'node:net';
import { printable, RenderRefusal } from '../haproxy/config-quoting.ts';

export { RenderRefusal };

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

/** An instance or script name: a letter, then letters, digits, `_` and `-` (also a file name in the state dir). */
export function instanceName(value: string, what: string): string {
  if (!NAME.test(value)) throw new RenderRefusal(`${what} '${printable(value)}' is not a plain name`);
  return value;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A host or load balancer id written into the file (router_id, comments): UUIDs and host names pass. */
export function plainId(value: string, what: string): string {
  if (!ID.test(value)) throw new RenderRefusal(`${what} '${printable(value)}' is not a plain identifier`);
  return value;
}

// IFNAMSIZ is 16 with the NUL (netdevice(7)); the kernel refuses `/`, `:` is an alias, whitespace never passes.
const INTERFACE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

export function interfaceName(value: string): string {
  if (!INTERFACE.test(value) || value === '.' || value === '..') {
    throw new RenderRefusal(`interface '${printable(value)}' is not a network interface name`);
  }
  return value;
}

/** An IP address in canonical form (no zone, no brackets), optionally of a required family. */
export function ipAddress(value: string, what: string, family?: 4 | 6): string {
  const found = net.isIP(value);
  if (found === 0 || value.includes('%') || (family !== undefined && found !== family)) {
    const wanted = family === undefined ? 'an IP address' : `an IPv${family} address`;
    throw new RenderRefusal(`${what} '${printable(value)}' is not ${wanted}`);
  }
  return value.toLowerCase();
}

/** `address/prefix`, the prefix defaulting to a host route (/32 or /128). */
export function addressWithPrefix(address: string, prefixLength: number | undefined, what: string): string {
  const canonical = ipAddress(address, what);
  const max = net.isIP(canonical) === 6 ? 128 : 32;
  const prefix = prefixLength ?? max;
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > max) {
    throw new RenderRefusal(`${what} prefix length ${printable(String(prefixLength))} is out of range`);
  }
  return `${canonical}/${prefix}`;
}

export function integerIn(value: number, low: number, high: number, what: string): number {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new RenderRefusal(`${what} ${printable(String(value))} is not an integer from ${low} to ${high}`);
  }
  return value;
}

/** A timer in seconds with centisecond resolution (VRRPv3's unit, RFC 5798 §5.2.7), printed without float noise. */
export function centiseconds(value: number, low: number, high: number, what: string): string {
  const cs = Math.round(value * 100);
  if (!Number.isFinite(value) || Math.abs(cs - value * 100) > 1e-6 || cs < low * 100 || cs > high * 100) {
    throw new RenderRefusal(
      `${what} ${printable(String(value))} s is not a multiple of 0.01 s from ${low} to ${high}`,
    );
  }
  return (cs / 100).toString();
}

// Absolute paths and plain arguments: no whitespace, quotes, `\`, `#`, `!`, `$`, `@`, `{`, `}`, `;`, `*`, `?`
// or `~`, so keepalived's parser, its script splitter and a shell all read the word back unchanged.
const PATH = /^\/[A-Za-z0-9_.,+=:/-]{0,254}$/;
const ARGUMENT = /^[A-Za-z0-9_.,+=:/%-]{1,255}$/;

export function absolutePath(value: string, what: string): string {
  if (!PATH.test(value) || value.split('/').includes('..')) {
    throw new RenderRefusal(`${what} '${printable(value)}' is not a plain absolute path`);
  }
  return value;
}

/** A program and its arguments as one quoted keepalived string (`script "…"`, keepalived.conf(5) SCRIPTS). */
export function commandString(argv: readonly string[], what: string): string {
  const [program, ...args] = argv;
  if (program === undefined) throw new RenderRefusal(`${what} is empty`);
  const words = [absolutePath(program, `${what} program`)];
  for (const arg of args) {
    if (!ARGUMENT.test(arg))
      throw new RenderRefusal(`${what} argument '${printable(arg)}' is not a plain word`);
    words.push(arg);
  }
  return `"${words.join(' ')}"`;
}
