// Pure semantic checks of pool requests (reference §5, §5.1): session persistence per protocol, cookie
// names, the CA/CRL pairing and the TLS version / ALPN lists. Each returns the first Violation Octavia would
// raise, or undefined; the API turns a Violation into its fault (the model imports nothing of ours).
import { ALPN_PROTOCOLS, isUdpOrSctp, SessionPersistenceType, TLS_ALL_VERSIONS } from './pool.ts';
import {
  cipherPolicyProblem,
  OPEN_TLS_POLICY,
  type TlsPolicy,
  tlsVersionMinimumProblem,
} from './tls-policy.ts';

/** A refused request, in Octavia's exception vocabulary (reference §1.5). */
export type Violation =
  /** ValidationException: `Validation failure: <detail>` */
  | Readonly<{ kind: 'validation'; detail: string }>
  /** InvalidOption: `<value> is not a valid option for <option>` */
  | Readonly<{ kind: 'invalid-option'; value: string; option: string }>
  /** WSME InvalidInput: `Invalid input for field/attribute <field>. Value: '<value>'. <reason>` */
  | Readonly<{ kind: 'invalid-input'; field: string; value: unknown; reason: string }>;

export const validation = (detail: string): Violation => ({ kind: 'validation', detail });

/** Session persistence as a request carries it: any field may be absent (undefined) or null. */
export type SessionPersistenceInput = Readonly<{
  type?: string | null;
  cookieName?: string | null;
  persistenceTimeout?: number | null;
  persistenceGranularity?: string | null;
}>;

const UDP_SCTP = 'UDP/SCTP';

/**
 * Octavia's `_validate_pool_request_for_udp_sctp` / persistence-field rule followed by
 * `validate.check_session_persistence` (reference §5.1). Truthiness is Python's: a timeout of 0 is "absent".
 */
export function checkSessionPersistence(
  protocol: string,
  sp: SessionPersistenceInput | null | undefined,
): Violation | undefined {
  if (!sp) return undefined;
  if (isUdpOrSctp(protocol)) {
    if (sp.type === SessionPersistenceType.SOURCE_IP && sp.cookieName) {
      return validation(
        'session_persistence SOURCE_IP type for UDP and SCTP protocols only accepts: type, ' +
          'persistence_timeout, persistence_granularity.',
      );
    }
    if (sp.cookieName) return validation(`Cookie names are not supported for ${UDP_SCTP} pools.`);
    if (sp.type === SessionPersistenceType.HTTP_COOKIE || sp.type === SessionPersistenceType.APP_COOKIE) {
      return validation(
        `Session persistence of type ${sp.type} is not supported for ${UDP_SCTP} protocol pools.`,
      );
    }
  } else if (sp.persistenceTimeout || sp.persistenceGranularity) {
    return validation(
      'persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools.',
    );
  }
  if (!sp.type) return validation('Invalid session_persistence provided.');
  if (sp.cookieName) {
    if (sp.type !== SessionPersistenceType.APP_COOKIE) {
      return validation(
        'Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".',
      );
    }
    if (!isValidCookieName(sp.cookieName)) return validation('Supplied "cookie_name" is invalid.');
  }
  if (sp.type === SessionPersistenceType.APP_COOKIE && !sp.cookieName) {
    return validation(
      'Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.',
    );
  }
  return undefined;
}

/** RFC 6265 token: no controls, whitespace, separators (`()<>@,;:\"/[]?={}`) or DEL, and some Latin-1. */
export function isValidCookieName(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control range is exactly what is refused
  const bad = /[\x00-\x20\x22\x28-\x29\x2c\x2f\x3a-\x40\x5b-\x5d\x7b\x7d\x7f]/;
  // Python's `[\x00-\xff]+` search: at least one Latin-1 character (all of them but the controls pass above).
  return !bad.test(name) && /[\x21-\xff]/.test(name);
}

/** A pool's TLS fields as a request carries them (undefined = absent, null = reset). */
export type PoolTlsInput = Readonly<{
  tlsEnabled?: boolean | null;
  caTlsContainerRef?: string | null;
  crlContainerRef?: string | null;
  tlsVersions?: readonly string[] | null;
  alpnProtocols?: readonly string[] | null;
  tlsCiphers?: string | null;
}>;

/**
 * Create-time TLS checks (pool `_validate_create_pool`): CRL needs a CA; ciphers (whitelist, prohibit list);
 * version list and minimum; ALPN list.
 */
export function checkPoolTlsCreate(
  input: PoolTlsInput,
  policy: TlsPolicy = OPEN_TLS_POLICY,
): Violation | undefined {
  if (input.crlContainerRef && !input.caTlsContainerRef) {
    return validation('A CA certificate reference is required to specify a revocation list.');
  }
  const ciphers = cipherPolicyProblem(policy, input.tlsCiphers);
  if (ciphers) return validation(ciphers);
  // Versions are validated only when TLS is enabled on create (reference §5); absent, they are the defaults,
  // which met the minimum at start.
  if (input.tlsEnabled) {
    const versions = checkTlsVersions(input.tlsVersions) ?? minimumViolation(policy, input.tlsVersions);
    if (versions) return versions;
  }
  return checkAlpnProtocols(input.alpnProtocols);
}

/** Update-time TLS checks (pool `_validate_pool_PUT`), against what is stored. */
export function checkPoolTlsUpdate(
  stored: Readonly<{ caTlsContainerRef: string | null; crlContainerRef: string | null }>,
  input: PoolTlsInput,
  policy: TlsPolicy = OPEN_TLS_POLICY,
): Violation | undefined {
  const crl = input.crlContainerRef !== undefined ? input.crlContainerRef : stored.crlContainerRef;
  if (input.caTlsContainerRef !== undefined) {
    if (!input.caTlsContainerRef && stored.caTlsContainerRef && crl) {
      return validation('A CA reference cannot be removed when a certificate revocation list is present.');
    }
    if (!input.caTlsContainerRef && !stored.caTlsContainerRef && crl) {
      return validation('A CA reference is required to specify a certificate revocation list.');
    }
  } else if (crl && !stored.caTlsContainerRef) {
    return validation('A CA reference is required to specify a certificate revocation list.');
  }
  const ciphers = cipherPolicyProblem(policy, input.tlsCiphers);
  if (ciphers) return validation(ciphers);
  if (input.tlsVersions !== undefined) {
    const versions = checkTlsVersions(input.tlsVersions) ?? minimumViolation(policy, input.tlsVersions);
    if (versions) return versions;
  }
  return input.alpnProtocols !== undefined ? checkAlpnProtocols(input.alpnProtocols) : undefined;
}

/** `validate.check_tls_version_min` on the versions given (null: the defaults). */
function minimumViolation(policy: TlsPolicy, versions: readonly string[] | null | undefined) {
  const problem = tlsVersionMinimumProblem(policy, versions);
  return problem === undefined ? undefined : validation(problem);
}

/** `validate.check_tls_version_list`: null means "the default"; an empty list is refused. */
export function checkTlsVersions(versions: readonly string[] | null | undefined): Violation | undefined {
  if (versions === null || versions === undefined) return undefined;
  if (versions.length === 0) {
    return validation(
      'Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
    );
  }
  const invalid = versions.filter((v) => !(TLS_ALL_VERSIONS as readonly string[]).includes(v));
  return invalid.length > 0 ? validation(`Invalid TLS versions: ${invalid.join(', ')}`) : undefined;
}

/** `validate.check_alpn_protocols`: null means "the default"; an empty list is refused. */
export function checkAlpnProtocols(protocols: readonly string[] | null | undefined): Violation | undefined {
  if (protocols === null || protocols === undefined) return undefined;
  if (protocols.length === 0) {
    return validation(
      'Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use the default.',
    );
  }
  const invalid = protocols.filter((p) => !(ALPN_PROTOCOLS as readonly string[]).includes(p));
  return invalid.length > 0 ? validation(`Invalid ALPN protocol: ${invalid.join(', ')}`) : undefined;
}
