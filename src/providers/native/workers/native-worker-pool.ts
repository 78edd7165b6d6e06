// The native provider spread over worker processes (`sluice agent --native-workers N`, architecture §7):
// each load balancer lives whole in one worker, the least loaded when it first arrives, so everything a load
// balancer keeps (stick tables, least-connections counts, connection_limit, health checks) stays exact,
// while a host with many load balancers uses all its cores. A worker that dies is started again and given
// back the load balancers it served; a request it did not answer is sent again to its successor.
import type { ChildProcess } from 'node:child_process';
import type { DesiredLoadBalancer } from '../../../model/desired-state.ts';
import type { ProviderDriver, ProviderInfo, ProviderReport } from '../../../model/provider-driver.ts';
import { SerialQueue } from '../../serial-queue.ts';
import { nativeProviderInfo } from '../native-provider.ts';
import type { WorkerAnswer, WorkerMessage, WorkerRequest, WorkerRequestBody } from './worker-protocol.ts';

/** Starts one worker process with an IPC channel (`sluice native-worker`). */
export type SpawnWorker = () => ChildProcess;

export type NativeWorkerPoolOptions = Readonly<{
  workers: number;
  spawn: SpawnWorker;
  /** restarts and replay failures are told here */
  log?: (message: string) => void;
  /** how often the workers' reports are fetched; the agent reads the latest (default 500 ms) */
  reportIntervalMs?: number;
}>;

/** How many times a request is sent again when its worker dies before answering it. */
const RESENDS = 3;
const MAX_BACKOFF_MS = 5000;

type Pending = { resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void };

class WorkerSlot {
  readonly index: number;
  child: ChildProcess | undefined;
  pid: number | undefined;
  /** resolves when the current worker process is ready for requests; replaced when it exits */
  ready: Promise<void>;
  resolveReady: (value: void | PromiseLike<void>) => void = () => {};
  readonly pending = new Map<number, Pending>();
  reports: Readonly<Record<string, ProviderReport>> = {};
  reporting = false;
  backoff = 100;
  startedAt = 0;

  constructor(index: number) {
    this.index = index;
    this.ready = this.#nextReady();
  }

  /**
   * A worker exited: requests wait for the next one. Those still waiting for the one that died before it was
   * ready follow the new promise.
   */
  renewReady(): void {
    const previous = this.resolveReady;
    this.ready = this.#nextReady();
    previous(this.ready);
  }

  #nextReady(): Promise<void> {
    return new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }
}

export class NativeWorkerPool implements ProviderDriver {
  readonly info: ProviderInfo = nativeProviderInfo;
  readonly #spawn: SpawnWorker;
  readonly #log: (message: string) => void;
  readonly #slots: WorkerSlot[];
  /** per load balancer: its worker, and the latest revision asked for (what a restarted worker gets back) */
  readonly #served = new Map<string, { slot: WorkerSlot; desired: DesiredLoadBalancer }>();
  readonly #queue = new SerialQueue();
  readonly #reportTimer: NodeJS.Timeout;
  #seq = 0;
  #closing = false;

  constructor(options: NativeWorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new Error(`native workers must be a whole number of at least 1, not ${options.workers}`);
    this.#spawn = options.spawn;
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    this.#slots = Array.from({ length: options.workers }, (_, i) => new WorkerSlot(i));
    for (const slot of this.#slots) this.#start(slot);
    this.#reportTimer = setInterval(() => {
      for (const slot of this.#slots) void this.#refreshReports(slot);
    }, options.reportIntervalMs ?? 500);
    this.#reportTimer.unref();
  }

  /** The process id of each worker (undefined while one is being restarted). */
  get workerPids(): (number | undefined)[] {
    return this.#slots.map((slot) => slot.pid);
  }

  /** The process id of the worker serving a load balancer. */
  workerPidOf(loadBalancerId: string): number | undefined {
    return this.#served.get(loadBalancerId)?.slot.pid;
  }

  apply(desired: DesiredLoadBalancer): Promise<void> {
    return this.#queue.run(desired.id, async () => {
      const slot = this.#served.get(desired.id)?.slot ?? this.#leastLoaded();
      this.#served.set(desired.id, { slot, desired });
      const answer = await this.#request(slot, { kind: 'apply', desired });
      void this.#refreshReports(slot);
      if (answer.kind === 'done' && answer.error !== null) throw new Error(answer.error);
    });
  }

  remove(loadBalancerId: string): Promise<void> {
    return this.#queue.run(loadBalancerId, async () => {
      const slot = this.#served.get(loadBalancerId)?.slot;
      if (!slot) return;
      await this.#request(slot, { kind: 'remove', loadBalancerId });
      this.#served.delete(loadBalancerId);
    });
  }

  /** The worker's latest report, at most one report interval old. */
  report(loadBalancerId: string): ProviderReport | undefined {
    return this.#served.get(loadBalancerId)?.slot.reports[loadBalancerId];
  }

  /** Closes every worker's IPC channel: each drains its connections and exits. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#reportTimer);
    await Promise.all(
      this.#slots.map(async (slot) => {
        const child = slot.child;
        // A worker being restarted is not: requests waiting for it fail now instead of waiting forever.
        if (!child || child.exitCode !== null || child.signalCode !== null) return slot.resolveReady();
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.connected) child.disconnect();
        await exited;
      }),
    );
  }

  #leastLoaded(): WorkerSlot {
    const load = new Map(this.#slots.map((slot) => [slot, 0]));
    for (const { slot } of this.#served.values()) load.set(slot, (load.get(slot) ?? 0) + 1);
    return this.#slots.reduce((best, slot) => ((load.get(slot) ?? 0) < (load.get(best) ?? 0) ? slot : best));
  }

  #start(slot: WorkerSlot): void {
    const child = this.#spawn();
    slot.child = child;
    slot.startedAt = Date.now();
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        slot.pid = message.pid;
        slot.resolveReady();
        return;
      }
      const pending = slot.pending.get(message.seq);
      slot.pending.delete(message.seq);
      pending?.resolve(message);
    });
    child.on('error', (error) => this.#log(`native worker ${slot.index}: ${error.message}`));
    child.once('exit', (code, signal) => {
      slot.child = undefined;
      slot.pid = undefined;
      slot.reports = {};
      slot.reporting = false;
      for (const pending of slot.pending.values()) pending.reject(new WorkerGone());
      slot.pending.clear();
      if (this.#closing) {
        slot.resolveReady();
        return;
      }
      slot.renewReady();
      // A worker that ran for a while comes back quickly again; one that keeps dying waits longer.
      if (Date.now() - slot.startedAt > 30_000) slot.backoff = 100;
      this.#log(
        `native worker ${slot.index} exited (${signal ?? `code ${code}`}); restarting in ${slot.backoff} ms`,
      );
      setTimeout(() => this.#restart(slot), slot.backoff).unref();
      slot.backoff = Math.min(slot.backoff * 2, MAX_BACKOFF_MS);
    });
  }

  /** Starts the worker again and gives it back every load balancer it served (in each one's queue). */
  #restart(slot: WorkerSlot): void {
    if (this.#closing) return;
    this.#start(slot);
    for (const [id, served] of this.#served) {
      if (served.slot !== slot) continue;
      void this.#queue.run(id, async () => {
        // The latest revision when its turn comes; nothing when it was removed meanwhile.
        const desired = this.#served.get(id)?.desired;
        if (!desired) return;
        const answer = await this.#request(slot, { kind: 'apply', desired });
        if (answer.kind === 'done' && answer.error !== null)
          this.#log(`native worker ${slot.index}: load balancer ${id} not restored: ${answer.error}`);
      });
    }
  }

  /** Sends a request once the worker is ready, again to its successor if it dies first. */
  async #request(slot: WorkerSlot, request: WorkerRequestBody): Promise<WorkerAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      await slot.ready;
      try {
        return await this.#send(slot, request);
      } catch (error) {
        if (!(error instanceof WorkerGone) || attempt >= RESENDS || this.#closing) throw error;
      }
    }
  }

  #send(slot: WorkerSlot, request: WorkerRequestBody): Promise<WorkerAnswer> {
    const child = slot.child;
    if (!child?.connected) return Promise.reject(new WorkerGone());
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      child.send({ ...request, seq } as WorkerRequest, (error) => {
        if (!error) return;
        slot.pending.delete(seq);
        reject(new WorkerGone());
      });
    });
  }

  async #refreshReports(slot: WorkerSlot): Promise<void> {
    if (slot.reporting || !slot.child?.connected || slot.pid === undefined) return;
    slot.reporting = true;
    try {
      const answer = await this.#send(slot, { kind: 'report' });
      if (answer.kind === 'reports') slot.reports = answer.reports;
    } catch {
      // The worker died: its exit handler cleared the reports and restarts it.
    } finally {
      slot.reporting = false;
    }
  }
}

class WorkerGone extends Error {
  constructor() {
    super('the native worker process exited before answering');
  }
}
