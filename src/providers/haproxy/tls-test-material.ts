// Test data for the haproxy TLS renders: listener and pool TLS settings as the API stores them for
// TERMINATED_HTTPS and tls_enabled pools, and PemCertificate values built from test-pki certificates (or fixed
// placeholder text, for golden files that must not change between runs).
import type { DesiredListener, DesiredPool } from '../../model/desired-state.ts';
import type { ListenerTlsMaterial, PemCertificate, PoolTlsMaterial } from '../../model/tls-material.ts';

/** Octavia's default listener/pool cipher string (constants.py CIPHERS_OWASP_SUITE_B, https://opendev.org/openstack/octavia/src/branch/master/octavia/common/constants.py). */
export const DEFAULT_CIPHERS =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256';

/** A certificate with its key and chain, from PEM texts (a test-pki certificate, or placeholders). */
export function pemCertificate(
  issued: Readonly<{ certificate: string; privateKey: string }>,
  names: readonly string[],
  intermediates: readonly string[] = [],
): PemCertificate {
  return {
    certificate: issued.certificate,
    privateKey: issued.privateKey,
    intermediates,
    names,
    notAfter: '2030-01-01T00:00:00Z',
  };
}

/** Placeholder PEM text naming what it stands for: renders stable file names, never loaded by HAProxy. */
export function placeholderPem(label: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(label).toString('base64')}\n-----END ${label}-----\n`;
}

/** The `tls` of a TERMINATED_HTTPS listener with the API's defaults (TLS 1.2/1.3, all ALPN protocols). */
export function terminatedTls(
  material: ListenerTlsMaterial,
  extra: Partial<DesiredListener['tls']> = {},
): DesiredListener['tls'] {
  return {
    defaultContainerRef: 'default-ref',
    sniContainerRefs: material.sniCertificates.map((_, i) => `sni-ref-${i}`),
    clientCaContainerRef: material.clientCa === null ? null : 'ca-ref',
    clientAuthentication: material.clientCa === null ? 'NONE' : 'OPTIONAL',
    clientCrlContainerRef: material.clientCrl === null ? null : 'crl-ref',
    ciphers: DEFAULT_CIPHERS,
    versions: ['TLSv1.2', 'TLSv1.3'],
    alpnProtocols: ['h2', 'http/1.1', 'http/1.0'],
    material,
    hsts: null,
    ...extra,
  };
}

/** The `tls` of a re-encrypting pool with the API's defaults. */
export function reencryptingTls(
  material: PoolTlsMaterial,
  extra: Partial<DesiredPool['tls']> = {},
): DesiredPool['tls'] {
  return {
    enabled: true,
    containerRef: material.clientCertificate === null ? null : 'client-ref',
    caContainerRef: material.ca === null ? null : 'ca-ref',
    crlContainerRef: material.crl === null ? null : 'crl-ref',
    ciphers: DEFAULT_CIPHERS,
    versions: ['TLSv1.2', 'TLSv1.3'],
    alpnProtocols: ['h2', 'http/1.1', 'http/1.0'],
    material,
    ...extra,
  };
}
