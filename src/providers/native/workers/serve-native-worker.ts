// The worker side of the native data plane: one detached process serving the load balancers its agent
// routes to it, on an ordinary NativeProvider, answering requests on its UNIX socket (worker-protocol.ts).
// It outlives its agent on purpose (architecture §7): a closed connection changes nothing, and the next
// agent connects, asks what is served (hello) and re-sends the desired state, which is a no-op when equal.
// It ends for good on a `stop` request, on SIGTERM, or when its socket file is removed or replaced (the
// agent's data dir is gone, or another worker took the slot).
import fs from 'node:fs';
import net from 'node:net';
import { REPORT_LOG_LINES_PER_LB } from '../../../model/agent-protocol.ts';
import type { DesiredLoadBalancer } from '../../../model/desired-state.ts';
import type { AccessLogBatch, ProviderDriver, ProviderReport } from '../../../model/provider-driver.ts';
import { encodeFrame, FrameDecoder } from './frame-codec.ts';
import type { WorkerAnswer, WorkerRequest } from './worker-protocol.ts';

export type NativeWorkerOptions = Readonly<{
  provider: ProviderDriver;
  socketPath: string;
  pidFile: string;
  /** how often the socket file is checked for removal (default 2 s) */
  watchIntervalMs?: number;
  /** how long stopping waits for open connections to drain (default 5 s) */
  stopGraceMs?: number;
}>;

type Served = { desired: DesiredLoadBalancer; json: string; ok: boolean };

export class NativeWorker {
  readonly #options: NativeWorkerOptions;
  readonly #served = new Map<string, Served>();
  readonly #server = net.createServer((socket) => this.#accept(socket));
  readonly #sockets = new Set<net.Socket>();
  #watch: NodeJS.Timeout | undefined;
  #inode = 0;
  #stopped: Promise<void> | undefined;
  /** resolves once the data plane is stopped (then the process exits) */
  readonly done: Promise<void>;
  #resolveDone: () => void = () => {};

  constructor(options: NativeWorkerOptions) {
    this.#options = options;
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** Binds the socket (a stale file from a dead worker is replaced) and writes the pid file. */
  async listen(): Promise<void> {
    fs.rmSync(this.#options.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.socketPath, () => resolve());
    });
    fs.chmodSync(this.#options.socketPath, 0o600);
    this.#inode = fs.statSync(this.#options.socketPath).ino;
    fs.writeFileSync(this.#options.pidFile, `${process.pid}\n`);
    this.#watch = setInterval(() => this.#checkSocketFile(), this.#options.watchIntervalMs ?? 2000);
  }

  /** Stops serving: closes the socket, drains the data plane. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      clearInterval(this.#watch);
      this.#server.close();
      if (this.#ownsSocketFile()) {
        fs.rmSync(this.#options.socketPath, { force: true });
        fs.rmSync(this.#options.pidFile, { force: true });
      }
      // Data planes drain open connections when they close; stopping must not wait on a client forever.
      const grace = new Promise((resolve) => setTimeout(resolve, this.#options.stopGraceMs ?? 5000).unref());
      await Promise.race([this.#options.provider.close?.(), grace]);
      this.#resolveDone();
    })();
    return this.#stopped;
  }

  #ownsSocketFile(): boolean {
    return fs.statSync(this.#options.socketPath, { throwIfNoEntry: false })?.ino === this.#inode;
  }

  #checkSocketFile(): void {
    if (!this.#ownsSocketFile()) void this.stop();
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    const decoder = new FrameDecoder();
    /** per load balancer, the report last sent on this connection (the JSON text) */
    const sent = new Map<string, string>();
    socket.on('data', (chunk) => {
      let requests: unknown[];
      try {
        requests = decoder.push(chunk);
      } catch {
        return socket.destroy();
      }
      for (const request of requests) {
        void this.#answer(request as WorkerRequest, sent).then((answer) => {
          if (!socket.destroyed) socket.write(encodeFrame(answer));
          if ((request as WorkerRequest).kind === 'stop') socket.end();
        });
      }
    });
    // The agent went away (or will reconnect): the data plane serves on regardless.
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
  }

  async #answer(request: WorkerRequest, sent: Map<string, string>): Promise<WorkerAnswer> {
    const { seq } = request;
    if (request.kind === 'hello') {
      const served = [...this.#served.values()].map((s) => s.desired);
      return { kind: 'state', seq, pid: process.pid, served };
    }
    if (request.kind === 'report')
      return {
        kind: 'reports',
        seq,
        ...(!request.changes
          ? { reports: this.#reports(this.#served.keys()) }
          : request.only
            ? this.#changedReports(sent, request.only)
            : { ...this.#changedReports(sent), ...this.#logs() }),
      };
    if (request.kind === 'stop') {
      await this.stop();
      return { kind: 'done', seq, error: null };
    }
    try {
      if (request.kind === 'apply') await this.#apply(request.desired);
      else {
        this.#served.delete(request.loadBalancerId);
        await this.#options.provider.remove(request.loadBalancerId);
      }
      return { kind: 'done', seq, error: null };
    } catch (error) {
      return { kind: 'done', seq, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Level-triggered: the state it already serves, asked again (by a restarted agent), changes nothing. */
  async #apply(desired: DesiredLoadBalancer): Promise<void> {
    const json = JSON.stringify(desired);
    const held = this.#served.get(desired.id);
    if (held?.ok && held.json === json) return;
    const served: Served = { desired, json, ok: false };
    this.#served.set(desired.id, served);
    await this.#options.provider.apply(desired);
    served.ok = true;
  }

  /** The access log lines buffered since the last answer (the agent's pool holds them until it ships them). */
  #logs(): { logs?: Record<string, AccessLogBatch> } {
    const logs: Record<string, AccessLogBatch> = {};
    let any = false;
    for (const id of this.#served.keys()) {
      const batch = this.#options.provider.drainLogs?.(id, REPORT_LOG_LINES_PER_LB);
      if (!batch || (batch.lines.length === 0 && batch.dropped === 0)) continue;
      logs[id] = batch;
      any = true;
    }
    return any ? { logs } : {};
  }

  #reports(ids: Iterable<string>): Record<string, ProviderReport> {
    const reports: Record<string, ProviderReport> = {};
    for (const id of ids) {
      const report = this.#options.provider.report?.(id);
      if (report) reports[id] = report;
    }
    return reports;
  }

  /**
   * The reports that differ from what `sent` holds, which then holds them: at 1,000 load balancers the whole
   * set is about a MiB of JSON every half second that the agent parsed, mostly unchanged (issue #18). With
   * `only`, just those load balancers: building and comparing every report took about 18 ms of this process's
   * CPU at 1,000 load balancers, and the agent asked for one after every apply.
   */
  #changedReports(
    sent: Map<string, string>,
    only?: readonly string[],
  ): { reports: Record<string, ProviderReport>; gone: string[] } {
    const reports: Record<string, ProviderReport> = {};
    const now = this.#reports(only ?? this.#served.keys());
    for (const [id, report] of Object.entries(now)) {
      const text = JSON.stringify(report);
      if (sent.get(id) === text) continue;
      sent.set(id, text);
      reports[id] = report;
    }
    const gone = (only ?? [...sent.keys()]).filter((id) => sent.has(id) && !Object.hasOwn(now, id));
    for (const id of gone) sent.delete(id);
    return { reports, gone };
  }
}
