// TLS termination of one TERMINATED_HTTPS listener revision: an unbound node:tls Server that the listener's
// TCP sockets are handed to after admission, with the default certificate, SNI certificates, versions,
// ciphers, ALPN and client authentication of that revision. A new revision gets a new Server, so new
// handshakes use the new certificates while established connections keep theirs (no listener rebind).
import { createHash } from 'node:crypto';
import tls from 'node:tls';
import type { DesiredListener } from '../../../model/desired-state.ts';
import { hstsHeaderValue, type PemCertificate } from '../../../model/tls-material.ts';
import { sniSelect } from './sni-select.ts';
import { renewTicketsOnResumption } from './ticket-renewal.ts';
import { nodeCiphers } from './tls-ciphers.ts';
import { tlsVersionRange } from './tls-versions.ts';

export type ListenerTls = Readonly<{
  /** what the server was made from: an unchanged listener keeps its server (and its session tickets) */
  signature: string;
  /** emit 'connection' with an admitted socket; it emits 'secureConnection' once the handshake is done */
  server: tls.Server;
  /** client_authentication OPTIONAL: a presented certificate that does not verify is refused */
  refuseUnverified: boolean;
  /** the Strict-Transport-Security value for member responses, if HSTS is on */
  hsts: string | undefined;
}>;

/** Protocols the native data plane serves to clients: HTTP/1.x (http-session.ts) and h2 (h2-session.ts). */
const SERVED_ALPN = new Set(['h2', 'http/1.1', 'http/1.0']);
/** The default listener alpn_protocols (Octavia's `[api_settings] default_listener_alpn_protocols`). */
const DEFAULT_ALPN = ['h2', 'http/1.1', 'http/1.0'];

/** The ALPN list offered to clients, in the listener's order: the server's order decides, in Node as in HAProxy. */
export function servedAlpn(alpnProtocols: readonly string[]): string[] {
  if (alpnProtocols.length === 0) return DEFAULT_ALPN;
  return alpnProtocols.filter((p) => SERVED_ALPN.has(p));
}

/**
 * Compiles the TLS side of a TERMINATED_HTTPS listener; undefined for every other listener. `previous` is
 * the revision served now: when nothing of the TLS side changed it is kept as it is.
 */
export function compileListenerTls(
  listener: DesiredListener,
  previous?: ListenerTls,
): ListenerTls | undefined {
  const { tls: config } = listener;
  const material = config.material;
  if (listener.protocol !== 'TERMINATED_HTTPS') return undefined;
  // The provider refuses such a document before any apply (unresolvedTls): never plain HTTP on it.
  if (!material) throw new Error(`TERMINATED_HTTPS listener ${listener.id} without resolved certificates`);
  const signature = createHash('sha256')
    .update(JSON.stringify([config, listener.timeouts.clientData]))
    .digest('base64url');
  if (previous?.signature === signature) return previous;
  const range = tlsVersionRange(config.versions);
  // unsupported-options.ts refuses such a set before any apply: never a silent fallback here.
  if ('unsupported' in range) throw new Error(range.unsupported);
  const auth = config.clientAuthentication;
  const verify = auth !== 'NONE' && material.clientCa !== null;
  const common: tls.SecureContextOptions = {
    minVersion: range.minVersion,
    maxVersion: range.maxVersion,
    ciphers: nodeCiphers(config.ciphers),
    ...(verify ? { ca: material.clientCa ?? undefined, crl: material.clientCrl ?? undefined } : {}),
  };
  const options = (certificate: PemCertificate): tls.SecureContextOptions => ({
    ...common,
    cert: [certificate.certificate, ...certificate.intermediates].join('\n'),
    key: certificate.privateKey,
  });
  const listed = [material.defaultCertificate, ...material.sniCertificates];
  const contexts = listed.map((c, i) => (i === 0 ? undefined : tls.createSecureContext(options(c))));
  const names = listed.map((c) => c.names);
  const alpn = servedAlpn(config.alpnProtocols);
  const timeout = listener.timeouts.clientData;
  const server = tls.createServer({
    ...options(material.defaultCertificate),
    // `verify optional` admits a client without a certificate: the handshake is not failed by Node, and
    // the binding refuses a presented certificate that did not verify (refuseUnverified).
    requestCert: verify,
    rejectUnauthorized: verify && auth === 'MANDATORY',
    ALPNProtocols: alpn.length > 0 ? alpn : undefined,
    // HAProxy's `timeout client` covers the handshake too.
    ...(timeout > 0 ? { handshakeTimeout: timeout } : {}),
    SNICallback: (servername, done) => done(null, contexts[sniSelect(names, servername)]),
  });
  renewTicketsOnResumption(server, contexts);
  return {
    signature,
    server,
    refuseUnverified: verify && auth === 'OPTIONAL',
    hsts: config.hsts ? hstsHeaderValue(config.hsts) : undefined,
  };
}
