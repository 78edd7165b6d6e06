// The TLS words of haproxy.cfg, as Octavia's templates render them (macros.j2 bind_macro and member_macro,
// https://opendev.org/openstack/octavia/src/branch/master/octavia/common/jinja/haproxy/combined_listeners/templates/macros.j2):
// a TERMINATED_HTTPS bind (`ssl crt-list … ca-file … verify … crl-file … ciphers … no-tlsv1x … alpn …`) and a
// re-encrypting server (`ssl crt … ca-file … crl-file … verify … sni ssl_fc_sni ciphers … no-… alpn …`).
import type { DesiredListener, DesiredPool } from '../../model/desired-state.ts';
import { configWord, printable, RenderRefusal } from './config-quoting.ts';
import { certificatePem, pemText, type TlsFileSet } from './tls-files.ts';

/** Octavia's CLIENT_AUTH_MAP (jinja_cfg.py): client_authentication → `verify`. */
const CLIENT_AUTH: Readonly<Record<string, string>> = {
  NONE: 'none',
  OPTIONAL: 'optional',
  MANDATORY: 'required',
};

/** Each version the API knows and the bind/server keyword that turns it off (manual §5.1 "no-tlsv12"). */
const VERSION_OFF = [
  ['SSLv3', 'no-sslv3'],
  ['TLSv1', 'no-tlsv10'],
  ['TLSv1.1', 'no-tlsv11'],
  ['TLSv1.2', 'no-tlsv12'],
  ['TLSv1.3', 'no-tlsv13'],
] as const;

const ALPN = new Set(['h2', 'http/1.1', 'http/1.0']);
/** The cipher string charset the API admits (Octavia validate.py VALID_CIPHER_RE, https://opendev.org/openstack/octavia/src/branch/master/octavia/common/validate.py); anything else never reaches a config word. */
const CIPHERS = /^[A-Za-z0-9\-+!:@=_.]+$/;

/** The options after `bind <address>` of a TERMINATED_HTTPS listener (empty for any other protocol). */
export function bindTlsOptions(listener: DesiredListener, files: TlsFileSet): string {
  if (listener.protocol !== 'TERMINATED_HTTPS') return '';
  const { tls } = listener;
  const material = tls.material;
  if (material === null) throw new RenderRefusal('TERMINATED_HTTPS listener without resolved certificates');
  // crt-list: one certificate file per line, the default first, so HAProxy serves it to clients whose SNI name
  // no certificate matches (manual §5.1 "crt-list"); the SNI names come from each certificate's own SANs/CN.
  const certificates = [material.defaultCertificate, ...material.sniCertificates];
  const crtList = `${certificates.map((c) => crtListEntry(files.add(certificatePem(c), 'pem'))).join('\n')}\n`;
  const words = [`ssl crt-list ${configWord(files.add(crtList, 'crt-list'), 'crt-list path')}`];
  if (material.clientCa !== null) {
    const verify = CLIENT_AUTH[tls.clientAuthentication];
    if (!verify) throw new RenderRefusal(`client_authentication ${tls.clientAuthentication}`);
    words.push(
      `ca-file ${configWord(files.add(pemText(material.clientCa), 'ca'), 'ca-file path')} verify ${verify}`,
    );
    if (material.clientCrl !== null)
      words.push(`crl-file ${configWord(files.add(pemText(material.clientCrl), 'crl'), 'crl-file path')}`);
  }
  words.push(
    ...cipherWords(tls.ciphers),
    ...versionWords(tls.versions),
    ...alpnWords('alpn', tls.alpnProtocols),
  );
  return words.join(' ');
}

/**
 * A crt-list line is split into words with no quoting (manual §5.1 "crt-list": `<crtfile> [[<sslbindconf>]
 * [<filters>]]`), so a certificate path must be one plain word; the run directory decides it, never a tenant.
 */
function crtListEntry(file: string): string {
  if (/[\s#'"\\]/.test(file))
    throw new RenderRefusal(`certificate path '${printable(file)}' cannot be listed in a crt-list`);
  return file;
}

/** The words a member's `server` line gets when its pool re-encrypts (tls_enabled); empty otherwise. */
export function serverTlsWords(pool: DesiredPool, files: TlsFileSet): string[] {
  const { tls } = pool;
  if (!tls.enabled) return [];
  const material = tls.material ?? { clientCertificate: null, ca: null, crl: null };
  if (tls.material === null && (tls.containerRef ?? tls.caContainerRef ?? tls.crlContainerRef) !== null)
    throw new RenderRefusal('pool tls_enabled without resolved certificates');
  const words = ['ssl'];
  if (material.clientCertificate !== null) {
    const pem = files.add(certificatePem(material.clientCertificate), 'pem');
    words.push(`crt ${configWord(pem, 'crt path')}`);
  }
  if (material.ca !== null) {
    words.push(`ca-file ${configWord(files.add(pemText(material.ca), 'ca'), 'ca-file path')}`);
    if (material.crl !== null)
      words.push(`crl-file ${configWord(files.add(pemText(material.crl), 'crl'), 'crl-file path')}`);
    words.push('verify required');
  } else {
    // Octavia: without a CA the member's certificate is not verified.
    words.push('verify none');
  }
  // The client's SNI name, when it sent one through a TERMINATED_HTTPS listener, goes on to the member.
  words.push('sni ssl_fc_sni');
  words.push(
    ...cipherWords(tls.ciphers),
    ...versionWords(tls.versions),
    ...alpnWords('alpn', tls.alpnProtocols),
  );
  return words;
}

/** `check-alpn` for the health checks of a re-encrypting pool, like Octavia's member_macro. */
export function checkAlpnWords(pool: DesiredPool): string[] {
  return pool.tls.enabled ? alpnWords('check-alpn', pool.tls.alpnProtocols) : [];
}

/**
 * Octavia renders the whole cipher string as `ciphers`; OpenSSL takes TLS 1.3 suites (`TLS_…`) only through
 * `ciphersuites` (manual §5.1 "ciphersuites"), so they are split out there and the tenant's TLS 1.3 choice holds.
 */
function cipherWords(ciphers: string | null): string[] {
  if (ciphers === null) return [];
  if (!CIPHERS.test(ciphers)) throw new RenderRefusal(`tls_ciphers '${printable(ciphers)}'`);
  const names = ciphers.split(':').filter((name) => name !== '');
  const legacy = names.filter((name) => !name.startsWith('TLS_'));
  const suites = names.filter((name) => name.startsWith('TLS_'));
  const words: string[] = [];
  if (legacy.length > 0) words.push(`ciphers ${legacy.join(':')}`);
  if (suites.length > 0) words.push(`ciphersuites ${suites.join(':')}`);
  return words;
}

function versionWords(versions: readonly string[]): string[] {
  for (const version of versions) {
    if (!VERSION_OFF.some(([name]) => name === version)) throw new RenderRefusal(`TLS version ${version}`);
  }
  return VERSION_OFF.filter(([name]) => !versions.includes(name)).map(([, off]) => off);
}

function alpnWords(keyword: string, protocols: readonly string[]): string[] {
  if (protocols.length === 0) return [];
  for (const protocol of protocols) {
    if (!ALPN.has(protocol)) throw new RenderRefusal(`ALPN protocol ${protocol}`);
  }
  return [`${keyword} ${protocols.join(',')}`];
}
