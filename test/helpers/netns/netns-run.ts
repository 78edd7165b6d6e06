// One harness run: a short random id that names every namespace it creates (`slh-<id>-<host>`), a run
// directory holding its owner's pid, UNIX sockets, data dirs and logs, and the cleanup that removes all of
// it (every process in its namespaces, the namespaces, the directory), run at close and at process exit.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ipSync, killNamespace } from './ip-command.ts';

/** Every namespace of every run starts with this, so a sweeper can find leftovers of crashed runs. */
export const NETNS_PREFIX = 'slh-';
export const RUNS_ROOT = path.join(os.tmpdir(), 'sluice-netns');
export const OWNER_FILE = 'owner.pid';

export class NetnsRun {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = path.join(RUNS_ROOT, this.id);
  /** namespaces created so far, in creation order */
  readonly namespaces: string[] = [];
  readonly #beforeCleanup: (() => void)[] = [];
  #closed = false;
  readonly #onExit = () => this.cleanup();
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor() {
    // The owner file comes first: a namespace of this run never exists without it, so the sweeper can tell
    // a live run (owner alive) from a crashed one.
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(path.join(this.dir, OWNER_FILE), String(process.pid));
    process.once('exit', this.#onExit);
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  /** The namespace name of a host of this run. */
  ns(host: string): string {
    return `${NETNS_PREFIX}${this.id}-${host}`;
  }

  /** Creates the namespace of a host (recorded before it exists, so a failure half-way is still cleaned). */
  addNamespace(host: string): string {
    const name = this.ns(host);
    this.namespaces.push(name);
    return name;
  }

  /** Registers a synchronous step run before the namespaces go (closing sockets, killing children). */
  beforeCleanup(step: () => void): void {
    this.#beforeCleanup.push(step);
  }

  /** Removes everything the run created; idempotent, synchronous (safe in an 'exit' handler). */
  cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    process.off('exit', this.#onExit);
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    for (const step of this.#beforeCleanup.reverse()) {
      try {
        step();
      } catch {
        // go on: the namespaces must go whatever a step did
      }
    }
    removeNamespaces(this.namespaces);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Kills every process in the namespaces (a killed agent's HAProxy children too), then deletes them. */
export function removeNamespaces(namespaces: readonly string[]): void {
  for (const ns of namespaces) killNamespace(ns);
  // Processes die asynchronously; `ip netns del` of a namespace with live processes only unlinks its name,
  // so wait (bounded) until they are gone first.
  const deadline = Date.now() + 3000;
  while (namespaces.some((ns) => ipSync(['netns', 'pids', ns]).trim() !== '') && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  for (const ns of namespaces) ipSync(['netns', 'del', ns]);
}
