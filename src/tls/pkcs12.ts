// Reads a PKCS#12 bundle (RFC 7292) with an empty or no password, as `openssl pkcs12 -export -passout pass:`
// writes it: PBES2 (PBKDF2 + AES-CBC, RFC 8018 §6.2) or the legacy pbeWithSHAAnd3-KeyTripleDES-CBC, MAC
// HMAC-SHA-256 or -SHA-1. Returns the leaf (the certificate of the private key), the key and the others.
import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  pbkdf2Sync,
  timingSafeEqual,
  X509Certificate,
} from 'node:crypto';
import {
  childrenOf,
  type Der,
  DerError,
  expectTag,
  oidOf,
  readOne,
  readTlv,
  smallIntOf,
  Tag,
} from './der.ts';
import { bmpPassword, KdfPurpose, pkcs12Kdf } from './pkcs12-kdf.ts';

/** Why a bundle cannot be read; the API embeds the message in Octavia's UnreadablePKCS12 fault. */
export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

export type Pkcs12Contents = Readonly<{
  certificate: X509Certificate;
  privateKey: KeyObject;
  /** the other certificates of the bundle, in bundle order */
  others: readonly X509Certificate[];
}>;

/** Larger than any certificate bundle (Barbican's default max_allowed_secret_in_bytes is 20000). */
export const MAX_PKCS12_BYTES = 1 << 20;
/** Key-derivation iterations allowed over one whole bundle, so a hostile count cannot hang the API. */
const ITERATION_BUDGET = 2_000_000;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  tripleDes: '1.2.840.113549.1.12.1.3',
} as const;
/** RFC 7292 appendix C: the RC2 schemes are in OpenSSL's legacy provider only, which Node does not load. */
const RC2: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
};
const DIGESTS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** RFC 8018 appendix B.1.2: the PRFs of PBKDF2. */
const HMACS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const AES_CBC: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
};

/** Reads `data` as a PKCS#12 bundle without a password; throws Pkcs12Error with the reason. */
export function readPkcs12(data: Buffer): Pkcs12Contents {
  if (data.length > MAX_PKCS12_BYTES) throw new Pkcs12Error('Could not deserialize PKCS12 data');
  try {
    return readBundle(data);
  } catch (error) {
    if (error instanceof Pkcs12Error) throw error;
    // DER and OpenSSL errors of a malformed bundle: cryptography's words for the same failure.
    throw new Pkcs12Error('Could not deserialize PKCS12 data');
  }
}

function readBundle(data: Buffer): Pkcs12Contents {
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL } (§4)
  const [version, authSafe, macData] = childrenOf(readOne(data, Tag.SEQUENCE, 'a PFX'), 3);
  if (smallIntOf(version) !== 3) throw new DerError('unsupported PFX version');
  const authContent = dataContent(authSafe);
  const budget = { iterations: ITERATION_BUDGET };
  const password = macData ? verifiedPassword(macData, authContent, budget) : bmpPassword('');
  const certificates: X509Certificate[] = [];
  const keys: KeyObject[] = [];
  for (const info of childrenOf(readOne(authContent, Tag.SEQUENCE, 'an AuthenticatedSafe'), 64)) {
    const contentType = oidOf(childrenOf(expectTag(info, Tag.SEQUENCE, 'a ContentInfo'), 2)[0]);
    const safeContents =
      contentType === OID.data
        ? dataContent(info)
        : contentType === OID.encryptedData
          ? decryptEncryptedData(info, password, budget)
          : undefined;
    if (!safeContents) throw new Pkcs12Error(`unsupported PKCS12 content type ${contentType}`);
    for (const bag of childrenOf(readOne(safeContents, Tag.SEQUENCE, 'SafeContents'), 256)) {
      readBag(bag, password, budget, certificates, keys);
    }
  }
  if (keys.length !== 1) throw new Pkcs12Error(`expected one private key, found ${keys.length}`);
  const privateKey = keys[0];
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  const publicKey = spki(createPublicKey(privateKey));
  const leaf = certificates.find((cert) => spki(cert.publicKey).equals(publicKey));
  if (!leaf) throw new Pkcs12Error('no certificate of the bundle matches its private key');
  return { certificate: leaf, privateKey, others: certificates.filter((cert) => cert !== leaf) };
}

/** The OCTET STRING of a ContentInfo of type data: SEQUENCE { OID, [0] EXPLICIT OCTET STRING }. */
function dataContent(info: Der): Buffer {
  const [type, explicit] = childrenOf(expectTag(info, Tag.SEQUENCE, 'a ContentInfo'), 2);
  if (oidOf(type) !== OID.data || !explicit) throw new DerError('expected a data ContentInfo');
  return readOne(expectTag(explicit, Tag.CONTEXT_0, '[0]').value, Tag.OCTET_STRING, 'an OCTET STRING').value;
}

/**
 * MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } (§4): the MAC
 * key comes from the appendix B KDF. An "empty password" is ambiguous — OpenSSL MACs `-passout pass:` with
 * the BMPString "" (its NUL terminator only), other writers with no bytes at all — so both are tried, as
 * OpenSSL's PKCS12_verify_mac does. The one that verifies decrypts the legacy bags.
 */
function verifiedPassword(macData: Der, authContent: Buffer, budget: { iterations: number }): Buffer {
  const [digestInfo, saltTlv, iterTlv] = childrenOf(expectTag(macData, Tag.SEQUENCE, 'MacData'), 3);
  const [algorithm, digestTlv] = childrenOf(expectTag(digestInfo, Tag.SEQUENCE, 'a DigestInfo'), 2);
  const hash = DIGESTS[oidOf(childrenOf(expectTag(algorithm, Tag.SEQUENCE, 'an algorithm'), 2)[0])];
  if (!hash) throw new Pkcs12Error('unsupported PKCS12 MAC algorithm');
  const expected = expectTag(digestTlv, Tag.OCTET_STRING, 'a digest').value;
  const salt = expectTag(saltTlv, Tag.OCTET_STRING, 'a MAC salt').value;
  const iterations = iterTlv ? spend(budget, smallIntOf(iterTlv)) : 1;
  for (const password of [bmpPassword(''), Buffer.alloc(0)]) {
    const hashBytes = createHmac(hash, '').digest().length;
    const key = pkcs12Kdf(hash, password, salt, KdfPurpose.MAC, iterations, hashBytes);
    const mac = createHmac(hash, key).update(authContent).digest();
    if (mac.length === expected.length && timingSafeEqual(mac, expected)) return password;
  }
  // cryptography's words when the MAC does not verify (a password is needed, or the data was altered).
  throw new Pkcs12Error('Invalid password or PKCS12 data');
}

function spend(budget: { iterations: number }, iterations: number): number {
  if (iterations < 1 || iterations > budget.iterations) {
    throw new Pkcs12Error('too many key derivation iterations in the PKCS12 bundle');
  }
  budget.iterations -= iterations;
  return iterations;
}

/** EncryptedData ::= SEQUENCE { version, EncryptedContentInfo { type, algorithm, [0] IMPLICIT content } } */
function decryptEncryptedData(info: Der, password: Buffer, budget: { iterations: number }): Buffer {
  const explicit = childrenOf(info, 2)[1];
  if (!explicit) throw new DerError('empty encryptedData');
  const encryptedData = readOne(
    expectTag(explicit, Tag.CONTEXT_0, '[0]').value,
    Tag.SEQUENCE,
    'EncryptedData',
  );
  const contentInfo = childrenOf(encryptedData, 2)[1];
  if (!contentInfo) throw new DerError('no EncryptedContentInfo');
  const [, algorithm, content] = childrenOf(expectTag(contentInfo, Tag.SEQUENCE, 'EncryptedContentInfo'), 3);
  if (!content) throw new DerError('no encrypted content');
  return decrypt(algorithm, expectTag(content, Tag.CONTEXT_0_PRIMITIVE, '[0]').value, password, budget);
}

/** Decrypts with a PBES2 or PKCS#12 PBE AlgorithmIdentifier. */
function decrypt(
  algorithm: Der,
  ciphertext: Buffer,
  password: Buffer,
  budget: { iterations: number },
): Buffer {
  const [oidTlv, params] = childrenOf(expectTag(algorithm, Tag.SEQUENCE, 'an AlgorithmIdentifier'), 2);
  const oid = oidOf(oidTlv);
  if (RC2[oid]) throw new Pkcs12Error(`unsupported encryption ${RC2[oid]} (RC2): re-export without -legacy`);
  if (!params) throw new DerError('no encryption parameters');
  if (oid === OID.pbes2) return decryptPbes2(params, ciphertext, budget);
  if (oid !== OID.tripleDes) throw new Pkcs12Error(`unsupported PKCS12 encryption ${oid}`);
  // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (appendix C)
  const [saltTlv, iterTlv] = childrenOf(expectTag(params, Tag.SEQUENCE, 'PBE parameters'), 2);
  const salt = expectTag(saltTlv, Tag.OCTET_STRING, 'a salt').value;
  const iterations = spend(budget, smallIntOf(iterTlv));
  const key = pkcs12Kdf('sha1', password, salt, KdfPurpose.KEY, iterations, 24);
  const iv = pkcs12Kdf('sha1', password, salt, KdfPurpose.IV, iterations, 8);
  return decipher('des-ede3-cbc', key, iv, ciphertext);
}

/**
 * PBES2-params ::= SEQUENCE { keyDerivationFunc (PBKDF2), encryptionScheme (AES-CBC, IV) } (RFC 8018 §A.4).
 * OpenSSL feeds PBKDF2 the password's bytes, not the BMPString: for an empty password, no bytes.
 */
function decryptPbes2(params: Der, ciphertext: Buffer, budget: { iterations: number }): Buffer {
  const [kdf, scheme] = childrenOf(expectTag(params, Tag.SEQUENCE, 'PBES2 parameters'), 2);
  const [kdfOid, kdfParams] = childrenOf(expectTag(kdf, Tag.SEQUENCE, 'a KDF'), 2);
  if (oidOf(kdfOid) !== OID.pbkdf2 || !kdfParams) throw new Pkcs12Error('unsupported PBES2 key derivation');
  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const fields = childrenOf(expectTag(kdfParams, Tag.SEQUENCE, 'PBKDF2 parameters'), 4);
  const salt = expectTag(fields[0], Tag.OCTET_STRING, 'a salt').value;
  const iterations = spend(budget, smallIntOf(fields[1]));
  const prfTlv = fields.slice(2).find((f) => f.tag === Tag.SEQUENCE);
  const prf = prfTlv ? HMACS[oidOf(childrenOf(prfTlv, 2)[0])] : 'sha1';
  if (!prf) throw new Pkcs12Error('unsupported PBKDF2 pseudo-random function');
  const [cipherOid, ivTlv] = childrenOf(expectTag(scheme, Tag.SEQUENCE, 'an encryption scheme'), 2);
  const cipher = AES_CBC[oidOf(cipherOid)];
  if (!cipher || !ivTlv) throw new Pkcs12Error('unsupported PBES2 encryption scheme');
  const iv = expectTag(ivTlv, Tag.OCTET_STRING, 'an IV').value;
  const keyBytes = Number(cipher.split('-')[1]) / 8;
  const key = pbkdf2Sync(Buffer.alloc(0), salt, iterations, keyBytes, prf);
  return decipher(cipher, key, iv, ciphertext);
}

function decipher(cipher: string, key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    // A bad padding after decryption: the password is not empty (or the data is corrupt).
    throw new Pkcs12Error('Invalid password or PKCS12 data');
  }
}

/** SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT, bagAttributes SET OPTIONAL } (§4.2) */
function readBag(
  bag: Der,
  password: Buffer,
  budget: { iterations: number },
  certificates: X509Certificate[],
  keys: KeyObject[],
): void {
  const [idTlv, explicit] = childrenOf(expectTag(bag, Tag.SEQUENCE, 'a SafeBag'), 3);
  if (!explicit) throw new DerError('empty SafeBag');
  const value = readTlv(expectTag(explicit, Tag.CONTEXT_0, '[0]').value);
  const bagId = oidOf(idTlv);
  if (bagId === OID.certBag) {
    // CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING (DER certificate) }
    const [certId, certValue] = childrenOf(expectTag(value, Tag.SEQUENCE, 'a CertBag'), 2);
    if (oidOf(certId) !== OID.x509Certificate || !certValue) return;
    const der = readOne(expectTag(certValue, Tag.CONTEXT_0, '[0]').value, Tag.OCTET_STRING, 'a certificate');
    certificates.push(new X509Certificate(der.value));
  } else if (bagId === OID.keyBag) {
    keys.push(createPrivateKey({ key: value.encoded, format: 'der', type: 'pkcs8' }));
  } else if (bagId === OID.shroudedKeyBag) {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING } (RFC 5208 §6)
    const [algorithm, encrypted] = childrenOf(expectTag(value, Tag.SEQUENCE, 'an encrypted key'), 2);
    const plain = decrypt(algorithm, expectTag(encrypted, Tag.OCTET_STRING, 'a key').value, password, budget);
    keys.push(createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' }));
  }
  // Other bags (CRLs, secrets, nested SafeContents) carry nothing a listener serves with.
}
