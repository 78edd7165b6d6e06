// Cookie handling for HTTP persistence (reference §12.3): reading request cookies (HAProxy `req.cook`),
// removing the inserted SRV cookie before the member sees it (`cookie SRV insert indirect`), and reading
// the value a member sets (`res.cook`, for APP_COOKIE).

/** The persistence cookie HAProxy inserts for HTTP_COOKIE pools (`cookie SRV insert indirect nocache`). */
export const SERVER_COOKIE = 'SRV';

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** The Cookie header without `name` (undefined when nothing is left). */
export function withoutCookie(header: string, name: string): string | undefined {
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.slice(0, part.indexOf('=')).trim() !== name);
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/** The value a response sets for cookie `name` (the last Set-Cookie for it wins). */
export function setCookieValue(setCookie: readonly string[] | undefined, name: string): string | undefined {
  let value: string | undefined;
  for (const line of setCookie ?? []) {
    const pair = line.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) value = pair.slice(eq + 1).trim();
  }
  return value;
}
