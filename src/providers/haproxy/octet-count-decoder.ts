// Splits a syslog stream framed by octet counting (RFC 6587 §3.4.1, https://www.rfc-editor.org/rfc/rfc6587#section-3.4.1):
// each message is `MSG-LEN SP SYSLOG-MSG`, MSG-LEN its length in bytes, in decimal. HAProxy's ring forwarder
// frames so with `log-proto octet-count` (https://docs.haproxy.org/2.6/configuration.html#3.10).
/** A frame longer than this is a broken stream, not a message: the ring's `maxlen` is 16,384 (render-access-log.ts). */
export const MAX_FRAME = 65_536;

const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
/** Digits of MAX_FRAME, the longest length prefix a valid frame has. */
const MAX_DIGITS = String(MAX_FRAME).length;

export class OctetCountDecoder {
  /** bytes of an unfinished frame, kept for the next chunk */
  #pending: Buffer | undefined;

  /**
   * The messages completed by `chunk`, in order. Throws on a malformed length prefix or an oversized frame:
   * the stream cannot be resynchronised, so its reader drops the connection.
   */
  push(chunk: Buffer): string[] {
    const data = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = undefined;
    const messages: string[] = [];
    let at = 0;
    while (at < data.length) {
      let length = 0;
      let cursor = at;
      for (; cursor < data.length && data[cursor] !== SPACE; cursor += 1) {
        const byte = data[cursor];
        if (byte < ZERO || byte > NINE || cursor - at >= MAX_DIGITS)
          throw new Error('bad octet-count frame length');
        length = length * 10 + (byte - ZERO);
      }
      if (cursor === data.length) break; // the length is not complete yet
      if (cursor === at || length > MAX_FRAME) throw new Error('bad octet-count frame length');
      const end = cursor + 1 + length;
      if (end > data.length) break; // the message is not complete yet
      messages.push(data.toString('utf8', cursor + 1, end));
      at = end;
    }
    if (at < data.length) this.#pending = data.subarray(at);
    return messages;
  }
}
