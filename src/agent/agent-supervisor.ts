// Keeps one child process alive (architecture §1: `sluice serve` runs its agent as a supervised child): a
// child that exits when not asked to is restarted after a short, capped backoff, and the restart is logged.
// The child gets an IPC channel, so it can exit on its own when this process dies (even by kill -9); an agent
// leaves its data planes serving then, for the next one to adopt (architecture §7).
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from 'pino';

export type SupervisedCommand = Readonly<{
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  name: string;
}>;

export class ChildSupervisor {
  readonly #spec: SupervisedCommand;
  readonly #logger: Logger;
  #child: ChildProcess | undefined;
  #stopping = false;
  #backoff = 100;
  #restartTimer: NodeJS.Timeout | undefined;
  /** how many times the child was started (1 = never restarted) */
  starts = 0;

  constructor(spec: SupervisedCommand, logger: Logger) {
    this.#spec = spec;
    this.#logger = logger;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    const child = spawn(this.#spec.command, [...this.#spec.args], {
      env: this.#spec.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.starts += 1;
    const startedAt = Date.now();
    this.#logger.info({ pid: child.pid, restarts: this.starts - 1 }, `${this.#spec.name} started`);
    child.once('exit', (code, signal) => {
      this.#child = undefined;
      if (this.#stopping) return;
      // A child that ran for a while gets a quick restart again; one that keeps dying waits longer.
      if (Date.now() - startedAt > 30_000) this.#backoff = 100;
      this.#logger.warn(
        { code, signal, restartInMs: this.#backoff },
        `${this.#spec.name} exited; restarting`,
      );
      this.#restartTimer = setTimeout(() => this.start(), this.#backoff);
      this.#backoff = Math.min(this.#backoff * 2, 5000);
    });
    child.on('error', (error) => this.#logger.error({ err: error }, `${this.#spec.name} failed to start`));
  }

  /** Stops the child (SIGTERM, then SIGKILL after `graceMs`) and does not restart it. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
