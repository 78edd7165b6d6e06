// The request-target of an HTTP/1.1 request (RFC 9112 §3.2): the authority of an absolute-form target, which
// replaces Host for routing and for the member (§3.2.2), and the path that L7 rules match.

/** `scheme://authority` at the start of an absolute-form target (RFC 3986 §3, §3.1, §3.2). */
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * The authority of an absolute-form target (`http://a.example:8080/x?q` → `a.example:8080`), undefined
 * for the other forms (origin-form `/x`, authority-form of CONNECT, asterisk-form `*`).
 */
export function targetAuthority(target: string): string | undefined {
  if (target.charCodeAt(0) === 0x2f) return undefined; // origin-form, the common case
  return ABSOLUTE.exec(target)?.[1];
}

/**
 * An authority a recipient may use as the request's host: not empty (RFC 9110 §4.2.1: a recipient MUST
 * reject an http URI with an empty host) and without userinfo (§4.2.4: treat its presence as an error).
 */
export function authorityUsable(authority: string): boolean {
  return authority.length > 0 && !authority.includes('@');
}

/** HAProxy `path` of a target without its query: absolute-form `http://host/p` → `/p`, origin-form as is. */
export function targetPath(target: string): string {
  if (target.charCodeAt(0) === 0x2f) return target;
  const scheme = target.indexOf('://');
  if (scheme < 0) return target;
  const slash = target.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : target.slice(slash);
}
