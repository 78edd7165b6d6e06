// Member health of every pool the native data plane serves: runs one check loop per monitored member and
// answers whether traffic may go to it. The engine reads it through MemberHealthView (isUp).
import type { DesiredHealthMonitor, DesiredMember, DesiredPool } from '../../../model/desired-state.ts';
import { compileMemberTls, type MemberTls } from '../tls/member-tls.ts';
import type { CheckTarget, HealthChecker } from './health-checker.ts';
import { healthCheckerFor } from './health-checkers.ts';
import { httpsCheck } from './https-check.ts';
import { type MemberHealth, MemberProbe } from './member-probe.ts';
import { tlsHelloCheck } from './tls-hello-check.ts';

export type HealthTrackerOptions = Readonly<{
  /** where transitions and checks that cannot run are reported; defaults to stderr */
  log?: (message: string) => void;
  /** in [0, 1): jitter of first checks (a parameter so tests can make it deterministic) */
  random?: () => number;
}>;

type Tracked = Readonly<{ identity: string; probe: MemberProbe }>;

/** monitor_address / monitor_port override the member's own for checks (reference §12.3, §12.6). */
function checkTarget(member: DesiredMember, memberTls: MemberTls | undefined): CheckTarget {
  const target = {
    address: member.monitorAddress ?? member.address,
    port: member.monitorPort ?? member.protocolPort,
  };
  return memberTls ? { ...target, tls: memberTls } : target;
}

/**
 * A re-encrypting pool's checks go over its TLS whatever the monitor type, with the pool's client
 * certificate and CA (the haproxy provider renders `check-ssl` with the server's own crt/ca-file/verify,
 * HAProxy manual §5.2 "check-ssl"): HTTP becomes the HTTPS check, TCP and TLS-HELLO a full handshake.
 */
const OVER_POOL_TLS: Readonly<Record<string, HealthChecker>> = {
  HTTP: httpsCheck,
  HTTPS: httpsCheck,
  TCP: tlsHelloCheck,
  'TLS-HELLO': tlsHelloCheck,
};

/**
 * What makes two probes the same check: where it goes and what it asks. Timing and thresholds (delay,
 * timeout, max_retries, max_retries_down) are left out so changing them keeps the member's state.
 */
function probeIdentity(target: CheckTarget, monitor: DesiredHealthMonitor): string {
  const { type, httpMethod, urlPath, expectedCodes, httpVersion, domainName } = monitor;
  return JSON.stringify([
    target.address,
    target.port,
    target.tls?.signature,
    type,
    httpMethod,
    urlPath,
    expectedCodes,
    httpVersion,
    domainName,
  ]);
}

/**
 * The monitor whose checks the pool's members get, if any. Disabled pools are not served and a disabled
 * monitor means "no check" (reference §11.2), as do types the provider cannot probe (SCTP), which the
 * provider rejects before they get here.
 */
function activeCheck(
  pool: DesiredPool,
): Readonly<{ monitor: DesiredHealthMonitor; checker: HealthChecker }> | undefined {
  const monitor = pool.healthMonitor;
  if (!pool.adminStateUp || monitor === null || !monitor.adminStateUp) return undefined;
  const checker = healthCheckerFor(monitor.type);
  return checker === undefined ? undefined : { monitor, checker };
}

export class HealthTracker {
  readonly #log: (message: string) => void;
  readonly #random: () => number;
  /** pool id → member id → its probe */
  #pools = new Map<string, Map<string, Tracked>>();
  /** probes being stopped, awaited by close() */
  readonly #stopping = new Set<Promise<void>>();
  #closed = false;

  constructor(options: HealthTrackerOptions = {}) {
    this.#log = options.log ?? ((message) => process.stderr.write(`sluice native health: ${message}\n`));
    this.#random = options.random ?? Math.random;
  }

  /** Makes the running checks match `pools`; idempotent, and unchanged members keep their state. */
  update(pools: readonly DesiredPool[]): void {
    if (this.#closed) return;
    const next = new Map<string, Map<string, Tracked>>();
    for (const pool of pools) {
      const active = activeCheck(pool);
      if (active === undefined) continue;
      const { monitor } = active;
      const memberTls = compileMemberTls(pool);
      const members = new Map<string, Tracked>();
      // Members in maintenance (admin down) are not checked: HAProxy renders them `disabled` (§12.3) and
      // Octavia reports them OFFLINE whatever their health (§11.2).
      for (const member of pool.members.filter((m) => m.adminStateUp)) {
        const target = checkTarget(member, memberTls);
        const checker = (memberTls && OVER_POOL_TLS[monitor.type]) || active.checker;
        const identity = probeIdentity(target, monitor);
        const current = this.#pools.get(pool.id)?.get(member.id);
        if (current !== undefined && current.identity === identity) {
          current.probe.reconfigure(monitor);
          members.set(member.id, current);
          continue;
        }
        const label = `member ${member.id} of pool ${pool.id}`;
        const probe = new MemberProbe({
          target,
          monitor,
          checker,
          label,
          log: this.#log,
          random: this.#random,
        });
        members.set(member.id, { identity, probe });
      }
      next.set(pool.id, members);
    }
    for (const [poolId, members] of this.#pools) {
      for (const [memberId, tracked] of members) {
        if (next.get(poolId)?.get(memberId) !== tracked) this.#stop(tracked.probe);
      }
    }
    this.#pools = next;
  }

  /** True unless the member is monitored and its checks say DOWN. */
  isUp(poolId: string, memberId: string): boolean {
    return this.statusOf(poolId, memberId) !== 'DOWN';
  }

  /** The member's check state, or undefined when it is not monitored. */
  statusOf(poolId: string, memberId: string): MemberHealth | undefined {
    return this.#pools.get(poolId)?.get(memberId)?.probe.status;
  }

  /** Stops every check; resolves once no timer or socket of the tracker is left. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const members of this.#pools.values()) for (const { probe } of members.values()) this.#stop(probe);
    this.#pools = new Map();
    await Promise.all([...this.#stopping]);
  }

  #stop(probe: MemberProbe): void {
    const stopping = probe.close().finally(() => this.#stopping.delete(stopping));
    this.#stopping.add(stopping);
  }
}

/** A tracker already checking `pools`: the shape the native provider's HealthFactory expects. */
export function createHealthTracker(
  pools: readonly DesiredPool[],
  options: HealthTrackerOptions = {},
): HealthTracker {
  const tracker = new HealthTracker(options);
  tracker.update(pools);
  return tracker;
}
