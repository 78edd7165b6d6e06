// A throw-away PKI for TLS tests, made with the real `openssl` command in a temp dir: a CA, server
// certificates for chosen DNS names (with the CA as their chain), client certificates, a CRL revoking some
// of them, and PKCS#12 bundles as the Octavia cookbook makes them (`openssl pkcs12 -export … -passout pass:`).
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const opensslMissing: string | false = await run('openssl', ['version']).then(
  () => false,
  () => 'the openssl command is not installed (apt-get install openssl)',
);

export type IssuedCertificate = Readonly<{
  /** PEM of the leaf */
  certificate: string;
  /** unencrypted PKCS#8 PEM */
  privateKey: string;
  /** files of the same, for commands that take paths */
  certificateFile: string;
  privateKeyFile: string;
}>;

export type KeyType = 'rsa-2048' | 'ec-p256';
const NEW_KEY: Readonly<Record<KeyType, readonly string[]>> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'ec-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

export type Pkcs12Options = Readonly<{ scheme?: 'pbes2' | '3des' | 'rc2'; password?: string }>;

export type TestPki = Readonly<{
  dir: string;
  /** the CA certificate, PEM, and its file */
  ca: string;
  caFile: string;
  /**
   * a server certificate for `names` (the first is the CN, all are SAN DNS names), valid `days` days, with an
   * RSA-2048 key unless `key` asks for an ECDSA P-256 one
   */
  server(names: readonly string[], days?: number, key?: KeyType): Promise<IssuedCertificate>;
  /** a client certificate with subject CN `cn` */
  client(cn: string): Promise<IssuedCertificate>;
  /** a self-signed certificate with subject `subject` (e.g. `/O=No Name`: no CN) and no SAN */
  selfSigned(subject: string): Promise<IssuedCertificate>;
  /** a CRL of the CA revoking `revoked` (certificates it issued), PEM */
  crl(revoked: readonly IssuedCertificate[]): Promise<string>;
  /**
   * `openssl pkcs12 -export` of `issued` with the CA as chain and an empty password: the bundle's bytes.
   * `options.scheme` picks the legacy encryptions ('3des': pbeWithSHAAnd3-KeyTripleDES-CBC with a SHA-1 MAC;
   * 'rc2': `-legacy`, RC2 for the certificates); `options.password` sets a password instead.
   */
  pkcs12(issued: IssuedCertificate, options?: Pkcs12Options): Promise<Buffer>;
  remove(): Promise<void>;
}>;

/** Makes a new CA (RSA 2048, SHA-256) in a fresh temp dir. */
export async function createTestPki(): Promise<TestPki> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-pki-'));
  const file = (name: string) => path.join(dir, name);
  let serial = 0;
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  // `openssl ca` keeps its state in an index file; this minimal config is all it needs.
  await fs.writeFile(file('index.txt'), '');
  await fs.writeFile(file('crlnumber'), '01\n');
  await fs.writeFile(
    file('ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${file('index.txt')}`,
      `crlnumber = ${file('crlnumber')}`,
      'default_md = sha256',
      'default_crl_days = 30',
      '[req]',
      'distinguished_name = dn',
      '[dn]',
      '',
    ].join('\n'),
  );
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=Sluice Test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
  );
  const ca = await fs.readFile(file('ca.crt'), 'utf8');

  async function issue(
    name: string,
    subject: string,
    extensions: string,
    days: number,
    key: KeyType = 'rsa-2048',
  ) {
    // Taken before the first await: certificates issued in parallel get distinct serials.
    serial += 1;
    const number = serial;
    const stem = file(`${name}-${number}`);
    await fs.writeFile(`${stem}.ext`, extensions);
    await openssl(
      'req',
      ...NEW_KEY[key],
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${stem}.key`,
      '-out',
      `${stem}.csr`,
    );
    await openssl(
      'x509',
      '-req',
      '-in',
      `${stem}.csr`,
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      String(1000 + number),
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      `${stem}.ext`,
      '-out',
      `${stem}.crt`,
    );
    // Recorded as issued, so a CRL can revoke it.
    return {
      certificate: await fs.readFile(`${stem}.crt`, 'utf8'),
      privateKey: await fs.readFile(`${stem}.key`, 'utf8'),
      certificateFile: `${stem}.crt`,
      privateKeyFile: `${stem}.key`,
    };
  }

  return {
    dir,
    ca,
    caFile: file('ca.crt'),
    server: (names, days = 30, key = 'rsa-2048') =>
      issue(
        'server',
        `/CN=${names[0]}`,
        `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`,
        days,
        key,
      ),
    client: (cn) => issue('client', `/CN=${cn}`, 'extendedKeyUsage=clientAuth\n', 30),
    async selfSigned(subject) {
      serial += 1;
      const stem = file(`self-${serial}`);
      // biome-ignore format: one openssl command line
      await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', subject, '-keyout', `${stem}.key`, '-out', `${stem}.crt`);
      return {
        certificate: await fs.readFile(`${stem}.crt`, 'utf8'),
        privateKey: await fs.readFile(`${stem}.key`, 'utf8'),
        certificateFile: `${stem}.crt`,
        privateKeyFile: `${stem}.key`,
      };
    },
    async crl(revoked) {
      // `openssl ca` acting as this CA, with the index it records revocations in.
      const ca = (...args: string[]) =>
        openssl(
          'ca',
          '-config',
          file('ca.cnf'),
          '-keyfile',
          file('ca.key'),
          '-cert',
          file('ca.crt'),
          ...args,
        );
      await fs.writeFile(file('index.txt'), '');
      for (const issued of revoked) await ca('-revoke', issued.certificateFile);
      await ca('-gencrl', '-out', file('ca.crl'));
      return fs.readFile(file('ca.crl'), 'utf8');
    },
    async pkcs12(issued, options = {}) {
      const out = `${issued.certificateFile}.p12`;
      const scheme = {
        pbes2: [],
        '3des': ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
        rc2: ['-legacy'],
      }[options.scheme ?? 'pbes2'];
      await openssl(
        'pkcs12',
        '-export',
        '-inkey',
        issued.privateKeyFile,
        '-in',
        issued.certificateFile,
        '-certfile',
        file('ca.crt'),
        ...scheme,
        '-passout',
        `pass:${options.password ?? ''}`,
        '-out',
        out,
      );
      return fs.readFile(out);
    },
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
