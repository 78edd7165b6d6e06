// Hostile DER for parser tests: inputs shaped to make a careless reader recurse, allocate or loop.

/** `depth` SEQUENCEs each wrapping the rest (long-form lengths), as one buffer of 6·depth bytes. */
export function nestedSequences(depth: number): Buffer {
  const buf = Buffer.alloc(depth * 6);
  for (let i = 0; i < depth; i++) {
    buf[i * 6] = 0x30;
    buf[i * 6 + 1] = 0x84;
    buf.writeUInt32BE(buf.length - (i + 1) * 6, i * 6 + 2);
  }
  return buf;
}

/** One DER TLV of `tag` around `content` (definite length, short or long form). */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const value = Buffer.concat(content);
  const n = value.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n > 0xffff) throw new Error('tlv: content too long for this helper');
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
