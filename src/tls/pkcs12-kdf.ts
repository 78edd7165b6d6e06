// The PKCS#12 key derivation of RFC 7292 appendix B.2 (https://www.rfc-editor.org/rfc/rfc7292#appendix-B.2),
// which PKCS#12 still uses for its MAC key (ID 3) and the legacy pbeWithSHAAnd3-KeyTripleDES-CBC
// key (ID 1) and IV (ID 2). Its password is a BMPString with a two-byte NUL terminator (appendix B.1).
import { createHash } from 'node:crypto';

export const KdfPurpose = { KEY: 1, IV: 2, MAC: 3 } as const;

/** Hash block sizes (`v` of B.2): SHA-1 and SHA-256 work on 64 bytes, SHA-384/512 on 128. */
const BLOCK_BYTES: Readonly<Record<string, number>> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as B.1 encodes it: UTF-16 big-endian plus a NUL terminator ("" becomes 00 00). */
export function bmpPassword(password: string): Buffer {
  const le = Buffer.from(`${password}\0`, 'utf16le');
  return Buffer.from(le.swap16());
}

/** Derives `length` bytes for `purpose` (B.2 steps 1–7). `iterations` is bounded by the caller. */
export function pkcs12Kdf(
  hash: string,
  password: Buffer,
  salt: Buffer,
  purpose: number,
  iterations: number,
  length: number,
): Buffer {
  const v = BLOCK_BYTES[hash];
  if (v === undefined) throw new Error(`unsupported PKCS#12 KDF hash ${hash}`);
  const repeatToBlocks = (bytes: Buffer): Buffer => {
    const out = Buffer.alloc(v * Math.ceil(bytes.length / v));
    for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length];
    return out;
  };
  const diversifier = Buffer.alloc(v, purpose);
  const input = Buffer.concat([repeatToBlocks(salt), repeatToBlocks(password)]);
  const blocks: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hash).update(diversifier).update(input).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    blocks.push(a);
    produced += a.length;
    if (produced >= length) break;
    // Step 6: I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B being A repeated to v bytes.
    const b = repeatToBlocks(a).subarray(0, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k] + b[k] + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}
