// The listener rules of reference §4.2–§4.4 (protocol vs certificates, header insertion, client auth, TLS
// lists, allowed CIDR family) as pure functions returning the Octavia fault to answer, or undefined; the
// API layer throws it. Order follows Octavia's _validate_create_listener / _validate_listener_PUT.
import { parseCidr, parseIp } from './ipam.ts';
import {
  ClientAuthentication,
  HEADER_INSERTING_PROTOCOLS,
  HTTP_HEADERS,
  SSL_HEADERS,
  TLS_VERSIONS,
} from './listener.ts';
import {
  cipherPolicyProblem,
  OPEN_TLS_POLICY,
  type TlsPolicy,
  tlsVersionMinimumProblem,
} from './tls-policy.ts';

/** A refusal, as the Octavia error code and its parameters (the model does not import the error registry). */
export type ListenerProblem = Readonly<
  | { code: 'octavia.validation'; params: Readonly<{ detail: string }> }
  | { code: 'octavia.invalid-option'; params: Readonly<{ value: string; option: string }> }
  | { code: 'octavia.disabled-option'; params: Readonly<{ value: string; option: string }> }
>;
const validation = (detail: string): ListenerProblem => ({ code: 'octavia.validation', params: { detail } });
const invalidOption = (value: string, option: string): ListenerProblem => ({
  code: 'octavia.invalid-option',
  params: { value, option },
});

/** The TLS settings the structural rules look at. */
export type TlsSettings = Readonly<{
  protocol: string;
  defaultTlsContainerRef: string | null;
  sniContainerRefs: readonly string[];
  clientCaTlsContainerRef: string | null;
  clientAuthentication: string;
  clientCrlContainerRef: string | null;
}>;

/** A create as given (before TLS defaults), for the checks of §4.2 and §4.3. */
export type ListenerCheckInput = TlsSettings &
  Readonly<{
    insertHeaders: Readonly<Record<string, string>> | null;
    /** undefined = not given */
    tlsVersions?: readonly string[] | null;
    alpnProtocols?: readonly string[] | null;
    allowedCidrs: readonly string[];
    tlsCiphers?: string | null;
  }>;

// Octavia counts only the default and SNI certificates as "container refs" here (its client-CA key is
// misspelled in _has_tls_container_refs), so a lone client CA meets the "needs a server cert" rule instead.
const hasServerCert = (s: Pick<TlsSettings, 'defaultTlsContainerRef' | 'sniContainerRefs'>): boolean =>
  Boolean(s.defaultTlsContainerRef) || s.sniContainerRefs.length > 0;
/** TERMINATED_HTTPS, or PROMETHEUS given a certificate (it then serves TLS) — reference §4.2. */
const offloadsTls = (s: TlsSettings): boolean =>
  s.protocol === 'TERMINATED_HTTPS' || (s.protocol === 'PROMETHEUS' && hasServerCert(s));
const isLayer4Only = (protocol: string): boolean => protocol === 'UDP' || protocol === 'SCTP';

/** Checks of a listener create, in Octavia's order (_validate_create_listener), under the admin TLS policy. */
export function listenerCreateProblem(
  input: ListenerCheckInput,
  vipAddresses: readonly string[],
  vipHasSecurityGroups = false,
  policy: TlsPolicy = OPEN_TLS_POLICY,
): ListenerProblem | undefined {
  const headers = Object.keys(input.insertHeaders ?? {});
  const headerProblem =
    headers.length > 0
      ? insertHeadersProblem(headers, input.protocol, `dict_keys(${pyList(headers)})`)
      : undefined;
  if (headerProblem) return headerProblem;
  if (isLayer4Only(input.protocol) && hasServerCert(input)) {
    return validation(`${input.protocol} protocol listener does not support TLS.`);
  }
  if (!policy.allowTlsTerminatedListeners && offloadsTls(input)) {
    const value = input.protocol === 'PROMETHEUS' ? 'PROMETHEUS with TLS' : input.protocol;
    return { code: 'octavia.disabled-option', params: { value, option: 'protocol' } };
  }
  if (!offloadsTls(input) && hasServerCert(input)) {
    return validation(
      'Certificate container references are only allowed on TERMINATED_HTTPS protocol listeners.',
    );
  }
  return (
    tlsStructureProblem(input) ??
    ciphersProblem(input.tlsCiphers, policy) ??
    tlsListsProblem(input.tlsVersions, input.alpnProtocols) ??
    cidrProblem(input.allowedCidrs, vipAddresses, vipHasSecurityGroups) ??
    // Upstream checks the minimum of a TLS-offloading listener's versions (absent: the defaults, which
    // passed at start).
    (offloadsTls(input) ? minimumProblem(input.tlsVersions, policy) : undefined)
  );
}

/** A PUT body's TLS/header fields as given (undefined = absent), checked against the stored listener. */
export type ListenerUpdateInput = Readonly<{
  defaultTlsContainerRef?: string | null;
  sniContainerRefs?: readonly string[] | null;
  insertHeaders?: Readonly<Record<string, string>> | null;
  tlsVersions?: readonly string[] | null;
  alpnProtocols?: readonly string[] | null;
  allowedCidrs?: readonly string[] | null;
  tlsCiphers?: string | null;
}>;

/**
 * Checks of a listener PUT (_validate_listener_PUT, against the stored protocol), then the structural TLS
 * rules on the merged result (`merged`), so a PUT cannot leave TERMINATED_HTTPS without a certificate.
 */
export function listenerUpdateProblem(
  body: ListenerUpdateInput,
  merged: TlsSettings,
  vipAddresses: readonly string[],
  vipHasSecurityGroups = false,
  policy: TlsPolicy = OPEN_TLS_POLICY,
): ListenerProblem | undefined {
  const protocol = merged.protocol;
  const bodyCert = hasServerCert({
    defaultTlsContainerRef: body.defaultTlsContainerRef ?? null,
    sniContainerRefs: body.sniContainerRefs ?? [],
  });
  const headers = Object.keys(body.insertHeaders ?? {});
  if (isLayer4Only(protocol) && (bodyCert || headers.length > 0)) {
    return validation(`${protocol} protocol listener does not support TLS or header insertion.`);
  }
  if (protocol !== 'TERMINATED_HTTPS' && protocol !== 'PROMETHEUS' && bodyCert) {
    return validation(
      'Certificate container references are only allowed on TERMINATED_HTTPS protocol listeners.',
    );
  }
  return (
    (headers.length > 0 ? insertHeadersProblem(headers, protocol, pyList(headers)) : undefined) ??
    tlsStructureProblem(merged) ??
    tlsListsProblem(body.tlsVersions, body.alpnProtocols) ??
    cidrProblem(body.allowedCidrs ?? [], vipAddresses, vipHasSecurityGroups) ??
    ciphersProblem(body.tlsCiphers, policy) ??
    minimumProblem(body.tlsVersions, policy)
  );
}

/** §4.3: which headers, on which protocols. `shown` is how Octavia prints the offending key list. */
function insertHeadersProblem(keys: string[], protocol: string, shown: string): ListenerProblem | undefined {
  if (!HEADER_INSERTING_PROTOCOLS.includes(protocol)) {
    return invalidOption('insert-headers', `a ${protocol} protocol listener.`);
  }
  if (keys.some((key) => !HTTP_HEADERS.includes(key) && !SSL_HEADERS.includes(key))) {
    return invalidOption(shown, 'insert_headers');
  }
  const ssl = keys.filter((key) => SSL_HEADERS.includes(key));
  if (protocol !== 'TERMINATED_HTTPS' && ssl.length > 0) {
    return invalidOption(pyList(ssl), `${protocol} protocol listener.`);
  }
  return undefined;
}

/** Client CA needs a server certificate; TLS listeners need one; client auth and a CRL need a client CA. */
function tlsStructureProblem(s: TlsSettings): ListenerProblem | undefined {
  const cert = hasServerCert(s);
  if (s.clientCaTlsContainerRef && !cert) {
    return validation(
      'An SNI or default certificate container reference must be provided with a client CA container reference.',
    );
  }
  if (offloadsTls(s) && !cert) {
    return validation(
      `An SNI or default certificate container reference must be provided for ${s.protocol} protocol listeners.`,
    );
  }
  if (s.clientAuthentication !== ClientAuthentication.NONE && !s.clientCaTlsContainerRef) {
    return validation(
      `Client authentication setting ${s.clientAuthentication} requires a client CA container reference.`,
    );
  }
  if (s.clientCrlContainerRef && !s.clientCaTlsContainerRef) {
    return validation(
      'A client authentication CA reference is required to specify a client authentication revocation list.',
    );
  }
  return undefined;
}

/** validate.check_tls_version_list / check_alpn_protocols: null means "default", [] is refused. */
function tlsListsProblem(
  versions: readonly string[] | null | undefined,
  alpn: readonly string[] | null | undefined,
): ListenerProblem | undefined {
  if (versions && versions.length === 0) {
    return validation(
      'Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
    );
  }
  const invalid = (versions ?? []).filter((v) => !TLS_VERSIONS.includes(v));
  if (invalid.length > 0) return validation(`Invalid TLS versions: ${invalid.join(', ')}`);
  if (alpn && alpn.length === 0) {
    return validation(
      'Empty ALPN protocol list. Either specify at least one ALPN protocol or remove this parameter to use ' +
        'the default.',
    );
  }
  return undefined;
}

/** validate.check_cipher_prohibit_list: the character whitelist (cipher-string.ts), then the prohibit list. */
function ciphersProblem(ciphers: string | null | undefined, policy: TlsPolicy): ListenerProblem | undefined {
  const problem = cipherPolicyProblem(policy, ciphers);
  return problem === undefined ? undefined : validation(problem);
}

/** validate.check_tls_version_min on the versions given. */
function minimumProblem(versions: readonly string[] | null | undefined, policy: TlsPolicy) {
  const problem = tlsVersionMinimumProblem(policy, versions);
  return problem === undefined ? undefined : validation(problem);
}

/**
 * allowed_cidrs are refused on a load balancer with VIP security groups (their rules decide access, API 2.29),
 * then each must share the IP family of at least one VIP, the primary or an additional one (Octavia 13.0.0;
 * octavia/api/v2/controllers/listener.py _validate_cidr_compatible_with_vip, the VIPs print as a Python list).
 */
function cidrProblem(
  cidrs: readonly string[],
  vipAddresses: readonly string[],
  vipHasSecurityGroups: boolean,
): ListenerProblem | undefined {
  if (cidrs.length > 0 && vipHasSecurityGroups) {
    return validation('Allowed CIDRs are not allowed when using custom VIP Security Groups.');
  }
  const vipVersions = vipAddresses.map((address) => parseIp(address)?.version);
  for (const cidr of cidrs) {
    const version = parseAllowedCidr(cidr)?.version;
    if (version === undefined || vipVersions.includes(undefined)) continue;
    if (!vipVersions.includes(version)) {
      return validation(
        `CIDR ${cidr} IP version incompatible with all VIPs ${pyList(vipAddresses)} IP version.`,
      );
    }
  }
  return undefined;
}

/** A CIDR as Python's ip_network(strict=False) reads it: host bits allowed, a bare address is /32 or /128. */
export function parseAllowedCidr(text: string) {
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIp(text);
  return ip && parseCidr(`${text}/${ip.version === 4 ? 32 : 128}`);
}

/** Python's repr of a list of strings, as Octavia embeds it in its messages (InvalidOption, certificates). */
export function pyList(items: readonly string[]): string {
  const repr = (s: string) =>
    s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replaceAll("'", "\\'")}'`;
  return `[${items.map(repr).join(', ')}]`;
}

const HSTS_NEEDS_TERMINATED_HTTPS =
  'The HSTS feature can only be used for listeners using the TERMINATED_HTTPS protocol.';

/** HSTS fields of a create (API 2.27), after WSME defaults: absent flags are false, absent max age null. */
export type HstsInput = Readonly<{
  hstsMaxAge: number | null;
  hstsIncludeSubdomains: boolean;
  hstsPreload: boolean;
}>;

/** validate.check_hsts_options: the flags need a max age; a max age needs TERMINATED_HTTPS. */
export function hstsCreateProblem(protocol: string, hsts: HstsInput): ListenerProblem | undefined {
  if ((hsts.hstsIncludeSubdomains || hsts.hstsPreload) && hsts.hstsMaxAge === null) {
    return validation(
      'HSTS configuration options hsts_include_subdomains and hsts_preload only make sense if hsts_max_age ' +
        'is set as well.',
    );
  }
  if (hsts.hstsMaxAge !== null && protocol !== 'TERMINATED_HTTPS')
    return validation(HSTS_NEEDS_TERMINATED_HTTPS);
  return undefined;
}

/**
 * validate.check_hsts_options_put: enabling a flag needs a max age stored or given (a PUT that nulls the
 * stored age while setting a flag passes, as upstream); a max age needs the stored TERMINATED_HTTPS protocol.
 */
export function hstsUpdateProblem(
  stored: Readonly<{ protocol: string; hstsMaxAge: number | null }>,
  body: Readonly<{ hstsMaxAge?: number | null; hstsIncludeSubdomains: boolean; hstsPreload: boolean }>,
): ListenerProblem | undefined {
  const disabled = stored.hstsMaxAge === null && (body.hstsMaxAge ?? null) === null;
  if ((body.hstsIncludeSubdomains || body.hstsPreload) && disabled) {
    return validation(
      'Cannot enable hsts_include_subdomains or hsts_preload if hsts_max_age was not set as well.',
    );
  }
  if (typeof body.hstsMaxAge === 'number' && stored.protocol !== 'TERMINATED_HTTPS') {
    return validation(HSTS_NEEDS_TERMINATED_HTTPS);
  }
  return undefined;
}
