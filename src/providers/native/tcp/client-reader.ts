// Where a TCP session's client bytes wait until its member is connected (a session reads its client through
// listener-read-through.ts from accept on, before it has somewhere to send the bytes).
export type ChunkSink = (chunk: Buffer) => void;

/** Where a client's bytes go: held until the session has somewhere to send them. */
export class ClientReader {
  #sink: ChunkSink | undefined;
  readonly #early: Buffer[] = [];

  deliver(chunk: Buffer): void {
    if (this.#sink) this.#sink(chunk);
    else this.#early.push(chunk);
  }

  /** From now on chunks go to `sink`, those that came before first. */
  pipeTo(sink: ChunkSink): void {
    this.#sink = sink;
    for (const chunk of this.#early.splice(0)) sink(chunk);
  }
}
