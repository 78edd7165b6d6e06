// The administrator's TLS policy of Octavia's [api_settings] (tls_cipher_prohibit_list, minimum_tls_version,
// allow_tls_terminated_listeners) and its checks, in Octavia's words: validate.check_cipher_prohibit_list and
// check_tls_version_min of https://opendev.org/openstack/octavia/src/branch/master/octavia/common/validate.py
import { cipherStringProblem } from './cipher-string.ts';
import { DEFAULT_TLS_VERSIONS } from './desired-state.ts';
import { DEFAULT_LISTENER_CIPHERS } from './listener.ts';
import { DEFAULT_POOL_CIPHERS, TLS_ALL_VERSIONS } from './pool.ts';

export type TlsPolicy = Readonly<{
  /** OpenSSL cipher names no listener or pool may ask for (empty: none prohibited) */
  cipherProhibitList: readonly string[];
  /** the lowest TLS version a listener or pool may ask for; null: no minimum */
  minimumTlsVersion: (typeof TLS_ALL_VERSIONS)[number] | null;
  /** false: TERMINATED_HTTPS (and PROMETHEUS with TLS) listeners are refused (DisabledOption) */
  allowTlsTerminatedListeners: boolean;
}>;

/** Octavia's defaults: nothing prohibited, no minimum, TLS-terminated listeners allowed. */
export const OPEN_TLS_POLICY: TlsPolicy = Object.freeze({
  cipherProhibitList: [],
  minimumTlsVersion: null,
  allowTlsTerminatedListeners: true,
});

/** The ciphers of `ciphers` (colon-separated, in order, repeats kept) that the policy prohibits. */
export function prohibitedCiphers(policy: TlsPolicy, ciphers: string): string[] {
  return ciphers.split(':').filter((cipher) => policy.cipherProhibitList.includes(cipher));
}

/** The refusal detail for a given cipher string that names prohibited ciphers; undefined when none. */
export function prohibitedCiphersProblem(
  policy: TlsPolicy,
  ciphers: string | null | undefined,
): string | undefined {
  // Upstream checks only a truthy value (`if listener.tls_ciphers:`).
  const rejected = ciphers ? prohibitedCiphers(policy, ciphers) : [];
  return rejected.length > 0
    ? `The following ciphers have been prohibited by an administrator: ${rejected.join(', ')}`
    : undefined;
}

/**
 * check_cipher_prohibit_list as the API runs it on a given cipher string: the character whitelist first
 * (check_cipher_string), then the prohibit list. The refusal detail, or undefined.
 */
export function cipherPolicyProblem(
  policy: TlsPolicy,
  ciphers: string | null | undefined,
): string | undefined {
  return cipherStringProblem(ciphers) ?? prohibitedCiphersProblem(policy, ciphers);
}

const REQUESTED_BELOW_MINIMUM = 'Requested TLS versions are less than the minimum: ';

/**
 * check_tls_version_min: the versions below the minimum, as `<v>, <v> < <minimum>` after `message`;
 * undefined without a minimum, without versions (null: the defaults, checked at start) or when all pass.
 */
export function tlsVersionMinimumProblem(
  policy: TlsPolicy,
  versions: readonly string[] | null | undefined,
  message = REQUESTED_BELOW_MINIMUM,
): string | undefined {
  const minimum = policy.minimumTlsVersion;
  if (!minimum || !versions) return undefined;
  const rank = (version: string) => (TLS_ALL_VERSIONS as readonly string[]).indexOf(version);
  const rejected = versions.filter((version) => rank(version) < rank(minimum));
  return rejected.length > 0 ? `${message}${rejected.join(', ')} < ${minimum}` : undefined;
}

/**
 * What Octavia refuses to start with (config.init: check_default_tls_versions_min_conflict, then
 * check_default_ciphers_prohibit_list_conflict): default TLS versions below the minimum, default ciphers on
 * the prohibit list. The ValidationException's text, or undefined when the policy fits the defaults.
 */
export function tlsPolicyStartupProblem(policy: TlsPolicy): string | undefined {
  const detail =
    tlsVersionMinimumProblem(
      policy,
      DEFAULT_TLS_VERSIONS,
      'Default listener TLS versions are less than the minimum: ',
    ) ??
    tlsVersionMinimumProblem(
      policy,
      DEFAULT_TLS_VERSIONS,
      'Default pool TLS versions are less than the minimum: ',
    ) ??
    defaultCiphersProblem('listener', prohibitedCiphers(policy, DEFAULT_LISTENER_CIPHERS)) ??
    defaultCiphersProblem('pool', prohibitedCiphers(policy, DEFAULT_POOL_CIPHERS));
  return detail === undefined ? undefined : `Validation failure: ${detail}`;
}

function defaultCiphersProblem(object: string, rejected: readonly string[]): string | undefined {
  return rejected.length > 0
    ? `Default ${object} ciphers conflict with prohibit list. Conflicting ciphers: ${rejected.join(', ')}`
    : undefined;
}
