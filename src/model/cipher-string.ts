// The character whitelist of a TLS cipher string (listener and pool `tls_ciphers`): Octavia's
// validate.check_cipher_string, added because the string lands in HAProxy's configuration (config injection,
// https://opendev.org/openstack/octavia/src/branch/master/octavia/common/validate.py VALID_CIPHER_RE).

/** Python's `^[A-Za-z0-9\-+!:@=_.]+\Z`: JavaScript's `$` without the m flag is `\Z`. */
export const VALID_CIPHER_RE = /^[A-Za-z0-9\-+!:@=_.]+$/;

/** The refusal detail for a given, non-empty cipher string outside the whitelist; undefined when it is fine. */
export function cipherStringProblem(ciphers: string | null | undefined): string | undefined {
  // Octavia checks only a truthy value: null, absent and '' pass.
  if (!ciphers || VALID_CIPHER_RE.test(ciphers)) return undefined;
  return 'Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.';
}
