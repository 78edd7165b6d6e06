// The certificate files one render of haproxy.cfg refers to: each named by a hash of its content, so a changed
// certificate is a new file and a rotation is a reload onto it, while the files of the running (and last good)
// configuration stay untouched. Pure: the provider writes what `files` lists (tls-file-store.ts).
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PemCertificate } from '../../model/tls-material.ts';

export type TlsFileKind = 'pem' | 'crt-list' | 'ca' | 'crl';

/** The files of one render, base name → content, all in `dir`. */
export class TlsFileSet {
  readonly dir: string;
  readonly #files = new Map<string, string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Registers `content` and returns the absolute path the configuration names it by. */
  add(content: string, kind: TlsFileKind): string {
    const name = `${createHash('sha256').update(content).digest('hex').slice(0, 40)}.${kind}`;
    this.#files.set(name, content);
    return path.join(this.dir, name);
  }

  get files(): ReadonlyMap<string, string> {
    return this.#files;
  }
}

/**
 * One certificate as the single file HAProxy's `crt` takes: leaf, key, then the chain, each ending in a newline
 * (Octavia's build_pem, https://opendev.org/openstack/octavia/src/branch/master/octavia/common/tls_utils/cert_parser.py).
 */
export function certificatePem(certificate: PemCertificate): string {
  const parts = [certificate.certificate, certificate.privateKey, ...certificate.intermediates];
  return `${parts.map((part) => part.trim()).join('\n')}\n`;
}

/** A PEM bundle (CA, CRL) as a file: trimmed and newline-terminated, so equal material hashes equally. */
export function pemText(pem: string): string {
  return `${pem.trim()}\n`;
}
