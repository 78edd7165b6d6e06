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
