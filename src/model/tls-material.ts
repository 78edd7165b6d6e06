// The certificate material a data plane terminates or originates TLS with, resolved from the secret store
// by the control plane and carried in the desired state: PEM text only, so no provider parses PKCS#12 or
// reads a secret. https://docs.openstack.org/octavia/latest/user/guides/basic-cookbook.html#deploy-a-tls-terminated-https-load-balancer

/** One certificate with its key, as HAProxy's crt files and Node's `tls.createSecureContext` take them. */
export type PemCertificate = Readonly<{
  /** the leaf certificate, PEM */
  certificate: string;
  /** its private key, unencrypted PEM (PKCS#8 or traditional) */
  privateKey: string;
  /** the chain, PEM each, the leaf's issuer first */
  intermediates: readonly string[];
  /** the DNS names it serves, for SNI: its SAN DNS names, else its subject CN (Octavia's get_host_names) */
  names: readonly string[];
  /** when the leaf expires, ISO 8601 */
  notAfter: string;
}>;

/** What a TERMINATED_HTTPS listener serves with (its refs resolved). */
export type ListenerTlsMaterial = Readonly<{
  /** the certificate for clients that send no SNI name or one no SNI certificate serves */
  defaultCertificate: PemCertificate;
  /** further certificates chosen by the client's SNI name (the default one may serve names too) */
  sniCertificates: readonly PemCertificate[];
  /** PEM CA bundle that client certificates must chain to (client_authentication OPTIONAL/MANDATORY) */
  clientCa: string | null;
  /** PEM CRL of that CA */
  clientCrl: string | null;
}>;

/** What a re-encrypting pool (tls_enabled) connects to its members with. */
export type PoolTlsMaterial = Readonly<{
  /** the client certificate presented to members (tls_container_ref) */
  clientCertificate: PemCertificate | null;
  /** PEM CA bundle members' certificates must chain to; null: members are not verified (Octavia: verify none) */
  ca: string | null;
  crl: string | null;
}>;

/** HTTP Strict Transport Security on a TERMINATED_HTTPS listener (API 2.27). */
export type Hsts = Readonly<{ maxAge: number; includeSubdomains: boolean; preload: boolean }>;

/**
 * The header value Octavia renders (jinja_cfg.py): `max-age=N;` then ` includeSubDomains;` and ` preload;`
 * when set — the trailing `;` included, as octavia-tempest-plugin asserts it.
 */
export function hstsHeaderValue(hsts: Hsts): string {
  return `max-age=${hsts.maxAge};${hsts.includeSubdomains ? ' includeSubDomains;' : ''}${hsts.preload ? ' preload;' : ''}`;
}
