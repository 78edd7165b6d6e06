// The agent's end of one native worker's UNIX socket: numbered requests, answers matched by number, and a
// close that fails every request still waiting (the pool then finds or starts the worker again).
import net from 'node:net';
import { encodeFrame, FrameDecoder } from './frame-codec.ts';
import type { WorkerAnswer, WorkerRequest, WorkerRequestBody } from './worker-protocol.ts';

export class WorkerGone extends Error {
  constructor() {
    super('the native worker process went away before answering');
  }
}

type Pending = { resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void };

export class WorkerLink {
  readonly #socket: net.Socket;
  readonly #pending = new Map<number, Pending>();
  readonly #closeListeners: (() => void)[] = [];
  #seq = 0;

  /** Connects to a worker's socket; rejects when nothing listens there (no file, or a dead worker's file). */
  static connect(socketPath: string): Promise<WorkerLink> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new WorkerLink(socket));
      });
    });
  }

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    const decoder = new FrameDecoder();
    socket.on('data', (chunk) => {
      let answers: unknown[];
      try {
        answers = decoder.push(chunk);
      } catch {
        return socket.destroy();
      }
      for (const answer of answers as WorkerAnswer[]) {
        const pending = this.#pending.get(answer.seq);
        this.#pending.delete(answer.seq);
        pending?.resolve(answer);
      }
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      for (const pending of this.#pending.values()) pending.reject(new WorkerGone());
      this.#pending.clear();
      for (const listener of this.#closeListeners) listener();
    });
  }

  get closed(): boolean {
    return this.#socket.destroyed;
  }

  request(body: WorkerRequestBody): Promise<WorkerAnswer> {
    if (this.#socket.destroyed) return Promise.reject(new WorkerGone());
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#socket.write(encodeFrame({ ...body, seq } as WorkerRequest));
    });
  }

  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  /** Hangs up; the worker serves on. */
  close(): void {
    this.#socket.destroy();
  }
}
