// The `haproxy` provider: one HAProxy (master-worker) per load balancer under `<runDir>/<lb id>/`. A change is
// rendered, checked, written atomically, applied through the runtime API when only member weights, admin states
// or additions differ, else by a hitless reload with rollback; a poller caches reports and restarts crashes.

import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../../errors.ts';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import type {
  AccessLogBatch,
  ProviderDriver,
  ProviderInfo,
  ProviderReport,
} from '../../model/provider-driver.ts';
import { SerialQueue } from '../serial-queue.ts';
import { AccessLogSocket } from './access-log-socket.ts';
import { assertBindsFree, newBindClaims } from './bind-claims.ts';
import { RenderRefusal } from './config-quoting.ts';
import { DEFAULT_HAPROXY_BINARY } from './haproxy-available.ts';
import { HaproxyInstance, instancePaths } from './haproxy-process.ts';
import { haproxyProviderInfo, maxConnectionsForFileLimit } from './haproxy-provider-info.ts';
import { parseInfoAndStat, socketCommand } from './haproxy-socket.ts';
import { MetricsSocket } from './metrics-socket.ts';
import { type HaproxyRender, renderHaproxy } from './render-config.ts';
import { planRuntimeChanges } from './runtime-changes.ts';
import { buildReport, CounterBook } from './stats-report.ts';
import { pruneTlsFiles, writeTlsFiles } from './tls-file-store.ts';
import { unsupportedOptions } from './unsupported-options.ts';

export type HaproxyLogger = Readonly<{
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}>;

export type HaproxyProviderOptions = Readonly<{
  runDir: string;
  haproxyBinary?: string;
  /** report/watchdog period; 500 ms by default */
  pollIntervalMs?: number;
  logger?: HaproxyLogger;
  /**
   * Member weight/admin-state changes and additions through the runtime API without a reload (default true).
   * HAProxy's weighted round robin converges on new weights over a few rounds after a live change (about one
   * live change in eight skews the next 50 requests by up to 5); false reloads instead, starting a fresh cycle.
   */
  runtimeApi?: boolean;
  /** access log lines per HTTP request and TCP connection (default true; Octavia's `connection_logging`) */
  connectionLogging?: boolean;
  /** test hook: replaces the renderer (e.g. to force a configuration HAProxy refuses) */
  render?: (desired: DesiredLoadBalancer, text: string) => string;
}>;

/** What the provider did to one load balancer's HAProxy, for logs, tests and the agent's report. */
export type HaproxyRuntimeInfo = Readonly<{
  masterPid: number | undefined;
  /** times a dead HAProxy was started again by the watchdog */
  restarts: number;
  reloads: number;
  runtimeUpdates: number;
  lastError: string | undefined;
}>;

type Managed = {
  instance: HaproxyInstance;
  applied: DesiredLoadBalancer | undefined;
  appliedText: string | undefined;
  book: CounterBook;
  report: ProviderReport | undefined;
  /** where its PROMETHEUS listeners' scrapes are answered, while it has one */
  metrics: MetricsSocket | undefined;
  /** where its access log lines arrive, from the first apply on (unless logging is off) */
  accessLog: AccessLogSocket | undefined;
  restarts: number;
  reloads: number;
  runtimeUpdates: number;
  lastError: string | undefined;
};

const silent: HaproxyLogger = { info: () => {}, warn: () => {} };

export class HaproxyProvider implements ProviderDriver {
  readonly info: ProviderInfo = haproxyProviderInfo;
  readonly #options: HaproxyProviderOptions;
  readonly #binary: string;
  /** whether HAProxy writes access log lines (Octavia's `connection_logging`) */
  readonly #logging: boolean;
  readonly #logger: HaproxyLogger;
  readonly #managed = new Map<string, Managed>();
  /** one apply or remove at a time per load balancer */
  readonly #queue = new SerialQueue();
  readonly #maxConnCap = maxConnectionsForFileLimit();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(options: HaproxyProviderOptions) {
    this.#options = { ...options, runDir: path.resolve(options.runDir) };
    this.#binary = options.haproxyBinary ?? DEFAULT_HAPROXY_BINARY;
    this.#logging = options.connectionLogging !== false;
    this.#logger = options.logger ?? silent;
  }

  apply(desired: DesiredLoadBalancer): Promise<void> {
    return this.#queue.run(desired.id, async () => {
      const unsupported = unsupportedOptions(desired);
      if (unsupported.length > 0) {
        throw fail('octavia.provider-unsupported', { provider: 'haproxy', message: unsupported.join(', ') });
      }
      const lb = this.#managedFor(desired.id);
      const { config: text, files } = this.#renderOrRefuse(desired, lb);
      try {
        // Opened before HAProxy is told to forward there (it reconnects anyway, keeping lines in its ring).
        if (this.#logging) lb.accessLog ??= await AccessLogSocket.open(lb.instance.paths.accessLogSocket);
        // The files first: `haproxy -c` and the reload read them. Those of the previous (last good)
        // configuration stay until this one runs, so a rollback still finds its certificates.
        writeTlsFiles(lb.instance.paths.tlsDir, files);
        await this.#syncMetrics(desired, lb);
        await this.#applyText(lb, desired, text);
        pruneTlsFiles(lb.instance.paths.tlsDir, files);
        lb.lastError = undefined;
      } catch (error) {
        lb.lastError = (error as Error).message;
        throw fail('octavia.provider-error', { provider: 'haproxy', message: (error as Error).message });
      }
      this.#ensurePoller();
    });
  }

  remove(loadBalancerId: string): Promise<void> {
    return this.#queue.run(loadBalancerId, async () => {
      const lb = this.#managed.get(loadBalancerId);
      this.#managed.delete(loadBalancerId);
      lb?.metrics?.close();
      lb?.accessLog?.close();
      const instance =
        lb?.instance ??
        new HaproxyInstance(this.#binary, instancePaths(this.#options.runDir, loadBalancerId));
      if (!lb) instance.adopt();
      await instance.stop();
      instance.removeFiles();
    });
  }

  report(loadBalancerId: string): ProviderReport | undefined {
    return this.#managed.get(loadBalancerId)?.report;
  }

  drainLogs(loadBalancerId: string, max: number): AccessLogBatch | undefined {
    return this.#managed.get(loadBalancerId)?.accessLog?.drain(max);
  }

  /** Process-level facts about one load balancer's HAProxy (restarts, reloads), or undefined when not managed. */
  runtimeInfo(loadBalancerId: string): HaproxyRuntimeInfo | undefined {
    const lb = this.#managed.get(loadBalancerId);
    if (!lb) return undefined;
    const { restarts, reloads, runtimeUpdates, lastError } = lb;
    return { masterPid: lb.instance.pid, restarts, reloads, runtimeUpdates, lastError };
  }

  /**
   * Stops the HAProxy of every load balancer left in the run directory that this provider has not been asked
   * to serve: an agent calls it once its first full desired set is applied, so load balancers deleted or moved
   * while no agent ran (their HAProxy serving on, detached) do not serve forever.
   */
  async settle(): Promise<void> {
    const entries = fs.existsSync(this.#options.runDir)
      ? fs.readdirSync(this.#options.runDir, { withFileTypes: true })
      : [];
    const leftOver = entries
      .filter((entry) => entry.isDirectory() && !this.#managed.has(entry.name))
      .filter((entry) => fs.existsSync(instancePaths(this.#options.runDir, entry.name).pidFile));
    for (const entry of leftOver) {
      this.#logger.info({ loadBalancerId: entry.name }, 'stopping haproxy no longer desired');
      await this.remove(entry.name);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all(
      [...this.#managed.keys()].map((id) =>
        this.#queue.run(id, async () => {
          const lb = this.#managed.get(id);
          this.#managed.delete(id);
          lb?.metrics?.close();
          lb?.accessLog?.close();
          await lb?.instance.stop();
        }),
      ),
    );
  }

  /**
   * Opens the socket PROMETHEUS listeners' scrapes reach while the load balancer has one (before HAProxy is
   * told to use it), closes it once it has none. Each scrape reads HAProxy's counters afresh.
   */
  async #syncMetrics(desired: DesiredLoadBalancer, lb: Managed): Promise<void> {
    const wanted = desired.listeners.some((l) => l.protocol === 'PROMETHEUS');
    if (wanted && !lb.metrics) {
      lb.metrics = await MetricsSocket.open(lb.instance.paths.metricsSocket, async () => {
        await this.#poll(desired.id, lb);
        return lb.report;
      });
    } else if (!wanted && lb.metrics) {
      lb.metrics.close();
      lb.metrics = undefined;
    }
  }

  #managedFor(id: string): Managed {
    let lb = this.#managed.get(id);
    if (!lb) {
      const instance = new HaproxyInstance(this.#binary, instancePaths(this.#options.runDir, id));
      instance.prepare();
      if (instance.adopt())
        this.#logger.info({ loadBalancerId: id, pid: instance.pid }, 'adopted running haproxy');
      lb = {
        instance,
        applied: undefined,
        appliedText: undefined,
        book: new CounterBook(),
        report: undefined,
        metrics: undefined,
        accessLog: undefined,
        restarts: 0,
        reloads: 0,
        runtimeUpdates: 0,
        lastError: undefined,
      };
      this.#managed.set(id, lb);
    }
    return lb;
  }

  /** The render, or the 501 naming what cannot be rendered (e.g. TLS whose certificates are not resolved). */
  #renderOrRefuse(desired: DesiredLoadBalancer, lb: Managed): HaproxyRender {
    try {
      return this.#render(desired, lb);
    } catch (error) {
      if (!(error instanceof RenderRefusal)) throw error;
      throw fail('octavia.provider-unsupported', { provider: 'haproxy', message: error.message });
    }
  }

  #render(desired: DesiredLoadBalancer, lb: Managed): HaproxyRender {
    const { statsSocket, serverStateFile, pingScript, tlsDir, metricsSocket, accessLogSocket } =
      lb.instance.paths;
    const rendered = renderHaproxy(desired, {
      paths: { statsSocket, serverStateFile, pingScript, tlsDir, metricsSocket },
      maxConnCap: this.#maxConnCap,
      accessLogSocket: this.#logging ? accessLogSocket : undefined,
    });
    const config = this.#options.render ? this.#options.render(desired, rendered.config) : rendered.config;
    return { config, files: rendered.files };
  }

  async #applyText(lb: Managed, desired: DesiredLoadBalancer, text: string): Promise<void> {
    const { instance } = lb;
    // What this HAProxy binds now is its own; an adopted one (agent restart) binds what its file says, unknown
    // until the first apply here, and is ours too, so only a fresh start or a known config is probed.
    if (!instance.alive() || lb.appliedText !== undefined) {
      await assertBindsFree(newBindClaims(instance.alive() ? lb.appliedText : undefined, text));
    }
    if (!instance.alive()) {
      await this.#checkAndPromote(instance, text);
      await instance.start();
      return this.#applied(lb, desired, text);
    }
    if (text === lb.appliedText) return this.#applied(lb, desired, text);
    const plan =
      lb.applied && !this.#options.render && this.#options.runtimeApi !== false
        ? planRuntimeChanges(lb.applied, desired, (d) => this.#render(d, lb).config)
        : undefined;
    await this.#checkAndPromote(instance, text);
    if (plan) {
      try {
        await instance.runtime(plan);
        lb.runtimeUpdates += 1;
        instance.markGood();
        return this.#applied(lb, desired, text);
      } catch (error) {
        // A refused command leaves part of the plan applied; the reload below converges on the new file.
        this.#logger.warn({ loadBalancerId: desired.id, err: error }, 'runtime update refused, reloading');
      }
    }
    await this.#poll(desired.id, lb); // the old worker's final counters, before a new worker starts from zero
    await instance.saveServerState().catch(() => {});
    try {
      await instance.reload();
      lb.reloads += 1;
    } catch (error) {
      if (instance.restoreLastGood()) {
        await instance.reload().catch((again) => {
          this.#logger.warn(
            { loadBalancerId: desired.id, err: again },
            'reload of the last good configuration failed',
          );
        });
      }
      throw error;
    }
    this.#applied(lb, desired, text);
  }

  async #checkAndPromote(instance: HaproxyInstance, text: string): Promise<void> {
    const refused = await instance.check(text);
    if (refused !== undefined) throw new Error(`haproxy refused the configuration: ${refused}`);
    instance.promoteCandidate();
  }

  #applied(lb: Managed, desired: DesiredLoadBalancer, text: string): void {
    lb.instance.markGood();
    lb.applied = desired;
    lb.appliedText = text;
  }

  #ensurePoller(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#tick(), this.#options.pollIntervalMs ?? 500);
    this.#timer.unref();
    void this.#tick();
  }

  /** One poller pass: refresh every report, restart what died (serialized with applies of that LB). */
  async #tick(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await Promise.all(
        [...this.#managed].map(async ([id, lb]) => {
          if (lb.applied && !lb.instance.alive() && !this.#queue.busy(id)) {
            await this.#queue.run(id, () => this.#restart(id, lb)).catch(() => {});
          }
          await this.#poll(id, lb);
        }),
      );
    } finally {
      this.#polling = false;
    }
  }

  async #restart(id: string, lb: Managed): Promise<void> {
    if (this.#managed.get(id) !== lb || lb.instance.alive() || !lb.applied) return;
    lb.report = undefined;
    lb.restarts += 1;
    this.#logger.warn({ loadBalancerId: id, restarts: lb.restarts }, 'haproxy is not running; restarting it');
    lb.instance.restoreLastGood();
    try {
      await lb.instance.start();
      lb.lastError = undefined;
    } catch (error) {
      lb.lastError = `restart failed: ${(error as Error).message}`;
      this.#logger.warn({ loadBalancerId: id, err: error }, 'haproxy restart failed');
    }
  }

  async #poll(id: string, lb: Managed): Promise<void> {
    if (!lb.applied) return;
    if (!lb.instance.alive()) {
      lb.report = undefined;
      return;
    }
    const text = await socketCommand(lb.instance.paths.statsSocket, 'show info;show stat', 2000).catch(
      () => '',
    );
    const parsed = parseInfoAndStat(text);
    if (!parsed || this.#managed.get(id) !== lb) return;
    lb.book.observe(parsed.pid, parsed.rows);
    lb.report = buildReport(lb.applied, parsed.rows, lb.book);
  }
}

export { haproxyProviderInfo };
