// A small, bounded DER reader (ITU-T X.690 §8.1): one TLV at a time, read only where the caller expects a
// structure, so hostile input (truncated, huge lengths, deep nesting) fails with DerError instead of
// recursing or allocating. Indefinite lengths (BER, X.690 §8.1.3.6) are refused: OpenSSL writes DER.

/** A malformed or unexpected encoding. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One TLV: its tag byte (class, constructed bit and number ≤ 30), its value bytes, and the whole encoding. */
export type Der = Readonly<{ tag: number; value: Buffer; encoded: Buffer }>;

export const Tag = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [0] EXPLICIT (context-specific, constructed) */
  CONTEXT_0: 0xa0,
  /** [0] IMPLICIT of a primitive type (context-specific, primitive) */
  CONTEXT_0_PRIMITIVE: 0x80,
} as const;

/** Reads the TLV at `offset` of `buf`; its length must fit inside `buf`. */
export function readTlv(buf: Buffer, offset = 0): Der {
  if (offset + 2 > buf.length) throw new DerError('truncated DER header');
  const tag = buf[offset];
  // High-tag-number form (X.690 §8.1.2.4): never used by the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError('unsupported DER tag number');
  let length = buf[offset + 1];
  let header = 2;
  if (length === 0x80) throw new DerError('indefinite DER length');
  if (length > 0x80) {
    const bytes = length & 0x7f;
    // Four length bytes already exceed anything a bundle or certificate holds (and 2^32 bytes of input).
    if (bytes > 4) throw new DerError('DER length too large');
    if (offset + 2 + bytes > buf.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[offset + 2 + i];
    header += bytes;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('DER length exceeds the data');
  return { tag, value: buf.subarray(offset + header, end), encoded: buf.subarray(offset, end) };
}

/** Reads exactly one TLV filling `buf` with tag `tag`. */
export function readOne(buf: Buffer, tag: number, what: string): Der {
  const tlv = readTlv(buf, 0);
  if (tlv.encoded.length !== buf.length) throw new DerError(`trailing data after ${what}`);
  return expectTag(tlv, tag, what);
}

export function expectTag(tlv: Der, tag: number, what: string): Der {
  if (tlv.tag !== tag) throw new DerError(`expected ${what}`);
  return tlv;
}

/** The TLVs inside a constructed value, in order (at most `limit`, so a flood of tiny items is refused). */
export function childrenOf(tlv: Der, limit = 10_000): Der[] {
  const out: Der[] = [];
  let offset = 0;
  while (offset < tlv.value.length) {
    if (out.length >= limit) throw new DerError('too many DER items');
    const child = readTlv(tlv.value, offset);
    out.push(child);
    offset += child.encoded.length;
  }
  return out;
}

/** The dotted text of an OBJECT IDENTIFIER (X.690 §8.19). */
export function oidOf(tlv: Der): string {
  expectTag(tlv, Tag.OID, 'an OBJECT IDENTIFIER');
  const bytes = tlv.value;
  if (bytes.length === 0 || bytes.length > 64) throw new DerError('bad OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('bad OBJECT IDENTIFIER');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if ((bytes[bytes.length - 1] & 0x80) !== 0) throw new DerError('bad OBJECT IDENTIFIER');
  const first = arcs[0];
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER that fits a safe JavaScript number (versions, iteration counts, key lengths). */
export function smallIntOf(tlv: Der): number {
  expectTag(tlv, Tag.INTEGER, 'an INTEGER');
  const bytes = tlv.value;
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0] & 0x80) !== 0) throw new DerError('bad INTEGER');
  return bytes.reduce((n, byte) => n * 256 + byte, 0);
}
