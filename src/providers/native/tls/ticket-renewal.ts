// TLS session tickets renewed on every resumption, as HAProxy (OpenSSL's own ticket keys) does. Node's built-in
// ticket key callback accepts a valid ticket without asking OpenSSL for a new one, so after a TLS 1.3
// resumption no NewSessionTicket follows, and a client that uses each ticket once (RFC 8446 §C.4: browsers,
// wrk) pays a full handshake on every other connection (https://github.com/nodejs/node/issues/60847).
import { randomBytes } from 'node:crypto';
import type tls from 'node:tls';

/**
 * Node's hook for a ticket key callback written in JavaScript (https://github.com/nodejs/node/pull/2312, kept
 * "to force the TLS Ticket renewal in OpenSSL"): it answers `[result, hmacKey, aesKey, keyName, iv]`, result
 * as for SSL_CTX_set_tlsext_ticket_key_cb (https://docs.openssl.org/3.0/man3/SSL_CTX_set_tlsext_ticket_key_cb/):
 * 1 ticket made or valid, 2 valid but renew it, 0 not ours (full handshake).
 */
type TicketHook = {
  enableTicketKeyCallback?: () => void;
  onticketkeycallback?: (name: Buffer, iv: Buffer, encrypt: boolean) => readonly unknown[];
};

const PART = 16;

/**
 * Makes `server` and the SNI `contexts` of one listener revision (undefined entries: the server's own) issue a
 * new ticket on each resumption, with one set of ticket keys for them all (OpenSSL calls the first context's
 * callback; Node hands it to the context chosen by SNI, so each must answer alike). False, and nothing
 * changed, where this Node lacks the hook: tickets then work as Node's own do.
 */
export function renewTicketsOnResumption(
  server: tls.Server,
  contexts: readonly (tls.SecureContext | undefined)[],
): boolean {
  // The server's own context: Node keeps it as `_sharedCreds` (lib/_tls_wrap.js, Server.setSecureContext).
  const shared = (server as unknown as { _sharedCreds?: tls.SecureContext })._sharedCreds;
  const hooks = [shared, ...contexts.filter((c) => c !== undefined)].map(
    (c) => c?.context as TicketHook | undefined,
  );
  if (!hooks.every((h) => typeof h?.enableTicketKeyCallback === 'function')) return false;
  const name = randomBytes(PART);
  const hmac = randomBytes(PART);
  const aes = randomBytes(PART);
  const callback = (ticketName: Buffer, _iv: Buffer, encrypt: boolean) =>
    encrypt ? [1, hmac, aes, name, randomBytes(PART)] : [ticketName.equals(name) ? 2 : 0, hmac, aes];
  for (const hook of hooks as TicketHook[]) {
    hook.onticketkeycallback = callback;
    hook.enableTicketKeyCallback?.();
  }
  return true;
}
