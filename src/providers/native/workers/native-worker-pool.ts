// The native provider spread over detached worker processes (`sluice agent --native-workers N`, architecture
// §7): each load balancer lives whole in one worker, the least loaded when it first arrives, so everything a
// load balancer keeps (stick tables, least-connections counts, connection_limit, health checks) stays exact.
// Workers are not bound to the agent's lifetime: each listens on a UNIX socket in the agent's data dir, a
// restarted agent finds and adopts them (hello: what they serve), re-sends the desired state (a no-op when
// equal) and, once its first full desired set is applied, removes what is no longer desired (settle). A worker
// that dies is started again and given back its load balancers; a request it did not answer is sent again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { DesiredLoadBalancer } from '../../../model/desired-state.ts';
import type {
  AccessLogBatch,
  ProviderDriver,
  ProviderInfo,
  ProviderReport,
} from '../../../model/provider-driver.ts';
import { AccessLogRing } from '../../access-log-ring.ts';
import { SerialQueue } from '../../serial-queue.ts';
import { nativeProviderInfo } from '../native-provider.ts';
import { WorkerGone, WorkerLink } from './worker-link.ts';
import { type WorkerPaths, workerIndexes, workerPaths, workerSocketDir } from './worker-paths.ts';
import type { WorkerAnswer, WorkerRequestBody } from './worker-protocol.ts';

export type NativeWorkerPoolOptions = Readonly<{
  workers: number;
  /** the directory of the workers' pid and log files (and sockets, when the path is short enough) */
  dir: string;
  /** the command starting one worker; `--socket P --pid-file F` are appended */
  command: readonly string[];
  /** restarts, adoptions and replay failures are told here */
  log?: (message: string) => void;
  /** how often the workers' reports are fetched; the agent reads the latest (default 500 ms) */
  reportIntervalMs?: number;
}>;

/** How many times a request is sent again when its worker goes away before answering it. */
const RESENDS = 3;
const MAX_BACKOFF_MS = 5000;
/** how long a started worker may take to listen on its socket */
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 7000;
const LOG_LIMIT = 1 << 20;

const runs = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class WorkerSlot {
  readonly index: number;
  readonly paths: WorkerPaths;
  /** beyond `--native-workers`: a worker an earlier agent ran, kept while it serves something */
  readonly extra: boolean;
  state: 'idle' | 'attaching' | 'linked' | 'dropped' = 'idle';
  /** the attach under way, if any (close waits for it, so no worker it starts is left behind) */
  attaching: Promise<void> = Promise.resolve();
  link: WorkerLink | undefined;
  pid: number | undefined;
  /** resolves when the slot's worker is ready for requests (or the slot is dropped); renewed when it is lost */
  ready: Promise<void>;
  resolveReady: (value: void | PromiseLike<void>) => void = () => {};
  /** the worker's latest report of each load balancer it serves */
  readonly reports = new Map<string, ProviderReport>();
  reporting = false;
  backoff = 100;
  linkedAt = 0;

  constructor(index: number, paths: WorkerPaths, extra: boolean) {
    this.index = index;
    this.paths = paths;
    this.extra = extra;
    this.ready = this.#nextReady();
  }

  /** The worker was lost: requests wait for the next one, including those that waited for this one. */
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

type Entry = { slot: WorkerSlot; desired: DesiredLoadBalancer; claimed: boolean };

export class NativeWorkerPool implements ProviderDriver {
  readonly info: ProviderInfo = nativeProviderInfo;
  readonly #options: NativeWorkerPoolOptions;
  readonly #log: (message: string) => void;
  readonly #slots = new Map<number, WorkerSlot>();
  /** per load balancer: its worker, the latest revision asked for, and whether this agent asked for it */
  readonly #served = new Map<string, Entry>();
  /** per load balancer, the access log lines its worker sent that the agent has not taken yet */
  readonly #logs = new Map<string, AccessLogRing>();
  readonly #queue = new SerialQueue();
  readonly #reportTimer: NodeJS.Timeout;
  /** the adoption of the workers found at start (settle waits for it) */
  readonly #adopted: Promise<void>;
  #closing = false;

  constructor(options: NativeWorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new Error(`native workers must be a whole number of at least 1, not ${options.workers}`);
    this.#options = options;
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(workerSocketDir(options.dir), { recursive: true, mode: 0o700 });
    for (let i = 0; i < options.workers; i += 1) this.#slot(i);
    // Workers left by an earlier agent are adopted now, before any request: their listeners hold the ports.
    const found = workerIndexes(fs.readdirSync(options.dir)).map((i) => this.#slot(i));
    this.#adopted = Promise.all(found.map((slot) => this.#ensure(slot))).then(() => {});
    this.#reportTimer = setInterval(() => {
      for (const slot of this.#slots.values()) void this.#refreshReports(slot);
    }, options.reportIntervalMs ?? 500);
    this.#reportTimer.unref();
  }

  /** The process id of each worker of `--native-workers` (undefined while one is not running). */
  get workerPids(): (number | undefined)[] {
    return [...this.#slots.values()].filter((slot) => !slot.extra).map((slot) => slot.pid);
  }

  /** The process id of the worker serving a load balancer. */
  workerPidOf(loadBalancerId: string): number | undefined {
    return this.#served.get(loadBalancerId)?.slot.pid;
  }

  apply(desired: DesiredLoadBalancer): Promise<void> {
    return this.#queue.run(desired.id, async () => {
      await this.#adopted;
      const slot = this.#served.get(desired.id)?.slot ?? this.#leastLoaded();
      this.#served.set(desired.id, { slot, desired, claimed: true });
      const answer = await this.#request(desired.id, { kind: 'apply', desired });
      const now = this.#served.get(desired.id)?.slot;
      if (now) void this.#refreshReports(now, [desired.id]);
      if (answer?.kind === 'done' && answer.error !== null) throw new Error(answer.error);
    });
  }

  remove(loadBalancerId: string): Promise<void> {
    return this.#queue.run(loadBalancerId, async () => {
      await this.#adopted;
      const entry = this.#served.get(loadBalancerId);
      if (!entry) return;
      await this.#request(loadBalancerId, { kind: 'remove', loadBalancerId });
      this.#served.delete(loadBalancerId);
      this.#logs.delete(loadBalancerId);
      await this.#retireIfEmpty(entry.slot);
    });
  }

  /** Access log lines the workers sent, until the agent takes them (bounded: the oldest go when full). */
  drainLogs(loadBalancerId: string, max: number): AccessLogBatch | undefined {
    return this.#logs.get(loadBalancerId)?.drain(max);
  }

  /** The worker's latest report, at most one report interval old. */
  report(loadBalancerId: string): ProviderReport | undefined {
    return this.#served.get(loadBalancerId)?.slot.reports.get(loadBalancerId);
  }

  /**
   * Called once the agent applied its first full desired set: whatever the adopted workers serve that this
   * agent did not ask for is no longer desired here (deleted, or moved while no agent ran) and is removed, and
   * workers beyond `--native-workers` that serve nothing are stopped.
   */
  async settle(): Promise<void> {
    await this.#adopted;
    const stale = [...this.#served].filter(([, entry]) => !entry.claimed).map(([id]) => id);
    for (const id of stale) this.#log(`native load balancer ${id} is no longer desired here; removing it`);
    await Promise.all(stale.map((id) => this.remove(id)));
    for (const slot of this.#slots.values()) await this.#retireIfEmpty(slot);
  }

  /** Hangs up on every worker and leaves it serving, as an agent that exits does (its successor adopts them). */
  detach(): void {
    this.#closing = true;
    clearInterval(this.#reportTimer);
    for (const slot of this.#slots.values()) slot.link?.close();
  }

  /** Stops the data plane for good: every worker drains its connections and exits. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#reportTimer);
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        await slot.attaching;
        await this.#stopWorker(slot);
        // Requests waiting for a worker fail now instead of waiting forever.
        slot.resolveReady();
      }),
    );
  }

  #slot(index: number): WorkerSlot {
    let slot = this.#slots.get(index);
    if (!slot) {
      slot = new WorkerSlot(index, workerPaths(this.#options.dir, index), index >= this.#options.workers);
      this.#slots.set(index, slot);
    }
    return slot;
  }

  #leastLoaded(): WorkerSlot {
    const regular = [...this.#slots.values()].filter((slot) => !slot.extra);
    const load = new Map(regular.map((slot) => [slot, 0]));
    for (const { slot } of this.#served.values()) if (load.has(slot)) load.set(slot, load.get(slot)! + 1);
    return regular.reduce((best, slot) => (load.get(slot)! < load.get(best)! ? slot : best));
  }

  /** Makes sure the slot's worker is being attached; resolves when it is ready (or the slot is dropped). */
  #ensure(slot: WorkerSlot): Promise<void> {
    if (slot.state === 'idle' && !this.#closing) {
      slot.state = 'attaching';
      slot.attaching = this.#attach(slot);
    }
    return slot.ready;
  }

  /** Connects to the slot's running worker (adopting it), or starts one; then restores what it should serve. */
  async #attach(slot: WorkerSlot): Promise<void> {
    try {
      let link = await WorkerLink.connect(slot.paths.socket).catch(() => undefined);
      if (!link && slot.extra) return this.#drop(slot);
      link ??= await this.#start(slot);
      const hello = await link.request({ kind: 'hello' });
      if (hello.kind !== 'state')
        throw new Error(`native worker ${slot.index} answered hello with ${hello.kind}`);
      if (this.#closing) {
        slot.link = link;
        return;
      }
      slot.link = link;
      slot.pid = hello.pid;
      slot.state = 'linked';
      slot.linkedAt = Date.now();
      link.onClose(() => this.#lost(slot, link));
      const held = new Map(hello.served.map((desired) => [desired.id, JSON.stringify(desired)]));
      for (const desired of hello.served) {
        if (this.#served.has(desired.id)) continue;
        this.#served.set(desired.id, { slot, desired, claimed: false });
        this.#log(
          `native worker ${slot.index} (pid ${hello.pid}) adopted serving load balancer ${desired.id}`,
        );
      }
      slot.resolveReady();
      // A new worker (or one that missed a change): give it back what it served, each in its load balancer's turn.
      for (const [id, entry] of this.#served) {
        if (entry.slot === slot && held.get(id) !== JSON.stringify(entry.desired)) this.#replay(id);
      }
    } catch (error) {
      if (this.#closing) return;
      this.#log(
        `native worker ${slot.index}: ${(error as Error).message}; trying again in ${slot.backoff} ms`,
      );
      slot.state = 'idle';
      setTimeout(() => void this.#ensure(slot), slot.backoff).unref();
      slot.backoff = Math.min(slot.backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** Starts a detached worker (own session, no IPC channel: it must outlive this process) and connects. */
  async #start(slot: WorkerSlot): Promise<WorkerLink> {
    const { socket, pidFile, log } = slot.paths;
    if ((fs.statSync(log, { throwIfNoEntry: false })?.size ?? 0) > LOG_LIMIT) fs.truncateSync(log, 0);
    const output = fs.openSync(log, 'a');
    const [command, ...args] = this.#options.command;
    const child = spawn(command, [...args, '--socket', socket, '--pid-file', pidFile], {
      detached: true,
      stdio: ['ignore', output, output],
    });
    fs.closeSync(output);
    child.on('error', (error) => this.#log(`native worker ${slot.index}: ${error.message}`));
    child.unref();
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      await sleep(25);
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `the worker exited while starting (${child.signalCode ?? child.exitCode}), see ${log}`,
        );
      // The socket file may still be a dead worker's until the new one replaced it: ask for the new pid.
      const link = await WorkerLink.connect(socket).catch(() => undefined);
      if (link) {
        const hello = await link.request({ kind: 'hello' }).catch(() => undefined);
        if (hello?.kind === 'state' && hello.pid === child.pid) return link;
        link.close();
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the worker did not listen on ${socket} within ${START_TIMEOUT_MS} ms`);
      }
    }
  }

  /** The worker's socket closed: it died (or was stopped); attach again, which starts a new one if needed. */
  #lost(slot: WorkerSlot, link: WorkerLink): void {
    if (slot.link !== link) return;
    slot.link = undefined;
    slot.pid = undefined;
    slot.reports.clear();
    if (this.#closing || slot.state === 'dropped') return;
    slot.state = 'idle';
    slot.renewReady();
    // A worker that ran for a while comes back quickly again; one that keeps dying waits longer.
    if (Date.now() - slot.linkedAt > 30_000) slot.backoff = 100;
    this.#log(`native worker ${slot.index} went away; attaching again in ${slot.backoff} ms`);
    setTimeout(() => void this.#ensure(slot), slot.backoff).unref();
    slot.backoff = Math.min(slot.backoff * 2, MAX_BACKOFF_MS);
  }

  /** An extra worker is gone: the load balancers it served move to the regular workers. */
  #drop(slot: WorkerSlot): void {
    slot.state = 'dropped';
    this.#slots.delete(slot.index);
    fs.rmSync(slot.paths.pidFile, { force: true });
    for (const [id, entry] of this.#served) {
      if (entry.slot !== slot) continue;
      entry.slot = this.#leastLoaded();
      this.#replay(id);
    }
    slot.resolveReady();
  }

  /** Stops an extra worker once it serves nothing. */
  async #retireIfEmpty(slot: WorkerSlot): Promise<void> {
    if (!slot.extra || slot.state === 'dropped') return;
    if ([...this.#served.values()].some((entry) => entry.slot === slot)) return;
    slot.state = 'dropped';
    this.#slots.delete(slot.index);
    await this.#stopWorker(slot);
    this.#log(`native worker ${slot.index} is beyond --native-workers and serves nothing: stopped`);
  }

  async #stopWorker(slot: WorkerSlot): Promise<void> {
    const link = slot.link;
    if (!link || link.closed) return;
    const pid = slot.pid;
    const stopped = link.request({ kind: 'stop' }).catch(() => undefined);
    await Promise.race([stopped, sleep(STOP_TIMEOUT_MS)]);
    link.close();
    // Stopped means gone: the process exits right after its answer (it need not be our child to wait on).
    for (let waited = 0; pid !== undefined && runs(pid) && waited < 2000; waited += 20) await sleep(20);
  }

  #replay(id: string): void {
    void this.#queue.run(id, async () => {
      // The latest revision when its turn comes; nothing when it was removed meanwhile.
      const entry = this.#served.get(id);
      if (!entry) return;
      const answer = await this.#request(id, { kind: 'apply', desired: entry.desired }).catch(
        (error: Error) => ({ kind: 'done', seq: 0, error: error.message }) as const,
      );
      if (answer?.kind === 'done' && answer.error !== null)
        this.#log(`native worker ${entry.slot.index}: load balancer ${id} not restored: ${answer.error}`);
    });
  }

  /**
   * Sends a request to the worker of a load balancer once it is ready, again to its successor if it goes
   * away first; undefined when the load balancer is no longer served here.
   */
  async #request(id: string, request: WorkerRequestBody): Promise<WorkerAnswer | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      const slot = this.#served.get(id)?.slot;
      if (!slot) return undefined;
      await this.#ensure(slot);
      if (slot.state === 'dropped') continue;
      try {
        if (!slot.link) throw new WorkerGone();
        return await slot.link.request(request);
      } catch (error) {
        if (!(error instanceof WorkerGone) || attempt >= RESENDS || this.#closing) throw error;
      }
    }
  }

  /**
   * Takes the worker's changed reports and its access log lines; with `only`, the reports of just those load
   * balancers (an apply's own, at once), beside the round of all that may be under way.
   */
  async #refreshReports(slot: WorkerSlot, only?: readonly string[]): Promise<void> {
    if ((slot.reporting && !only) || !slot.link || slot.link.closed) return;
    if (!only) slot.reporting = true;
    const link = slot.link;
    try {
      // Only what changed since the last answer on this link: an unchanged report keeps its object, which
      // also spares the agent's observation ledger from serialising it again (observation-ledger.ts).
      const answer = await link.request({ kind: 'report', changes: true, ...(only && { only }) });
      if (answer.kind !== 'reports' || slot.link !== link) return;
      if (answer.gone === undefined) slot.reports.clear(); // a worker from before `changes`: the whole set
      for (const id of answer.gone ?? []) slot.reports.delete(id);
      for (const [id, report] of Object.entries(answer.reports)) slot.reports.set(id, report);
      for (const [id, batch] of Object.entries(answer.logs ?? {})) {
        let ring = this.#logs.get(id);
        if (!ring) {
          ring = new AccessLogRing();
          this.#logs.set(id, ring);
        }
        for (const line of batch.lines) ring.push(line);
        ring.countDropped(batch.dropped);
      }
    } catch {
      // The worker went away: #lost cleared the reports and attaches again.
    } finally {
      if (!only) slot.reporting = false;
    }
  }
}
