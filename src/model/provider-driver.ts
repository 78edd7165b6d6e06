// The provider (data-plane driver) contract, in the model so that the controller and agent depend on the
// interface while bin/ wires the implementations (providers never import store/ or api/).
import type { DesiredLoadBalancer } from './desired-state.ts';
import type { ProviderCapability } from './provider-capabilities.ts';

export type ProviderInfo = Readonly<{
  name: string;
  description: string;
  /**
   * An alias (`amphora`, `octavia`: docs/providers.md): the provider that serves its load balancers. Their
   * `provider` field keeps the name asked for, as Octavia's does.
   */
  servedBy?: string;
  /** accepts any JSON object as flavor or availability zone metadata, as Octavia's noop driver does */
  acceptsAnyMetadata?: boolean;
  /** flavor profile keys it accepts; absent = it does not support flavors (501, reference §10.2) */
  flavorCapabilities?: readonly ProviderCapability[];
  /** availability zone profile keys it accepts; absent = it does not support availability zones */
  availabilityZoneCapabilities?: readonly ProviderCapability[];
  /**
   * What in `desired` this provider cannot serve, in words for the API's 501 (`Provider '<name>' does not
   * support a requested option: …`); absent = it serves whatever the API accepts. The API passes a document
   * whose pools have no members (no member carries an option, and a pool may hold 10,000).
   */
  unsupportedOptions?: (desired: DesiredLoadBalancer) => readonly string[];
}>;

/** Upper bounds (seconds) of the request-time histogram buckets data planes keep per listener. */
export const REQUEST_TIME_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * How long HTTP requests took from their head arriving to their response's end: `counts[i]` requests took at
 * most REQUEST_TIME_BOUNDS[i] and more than the bound before (the last count: more than every bound).
 */
export type RequestTimes = Readonly<{ counts: readonly number[]; sum: number; count: number }>;

/** Cumulative traffic counters of one listener since its data plane started serving it. */
export type ListenerCounters = Readonly<{
  bytesIn: number;
  bytesOut: number;
  activeConnections: number;
  totalConnections: number;
  requestErrors: number;
  /** HTTP listeners of data planes that time requests (native, HTTP/1.x) */
  requestTimes?: RequestTimes;
}>;

/** HTTP responses by status class, as HAProxy counts them (`hrsp_1xx` … `hrsp_5xx`, `hrsp_other`). */
export type ResponseClasses = Readonly<{
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  other: number;
}>;

/**
 * Cumulative counters of one member in one pool since its data plane started serving it: sessions sent to it
 * (HAProxy's server `stot`; an HTTP request is a session of its own), those open now (`scur`), the bytes sent
 * to it and received from it (`bin`, `bout`), and the HTTP responses it gave by class.
 */
export type MemberCounters = Readonly<{
  sessionsTotal: number;
  currentSessions: number;
  bytesIn: number;
  bytesOut: number;
  responses: ResponseClasses;
}>;

/**
 * What a data plane observes about one load balancer, shaped like Octavia's heartbeat v3 (reference §11.1)
 * so the §11.2 roll-up applies unchanged: listener `OPEN` or `FULL` (at connection_limit); pool `UP` or
 * `DOWN` (no member can serve); member `UP`, `DOWN`, `DRAIN` (weight 0), `MAINT` (admin down) or
 * `no check` (no enabled monitor). Objects the data plane does not serve are absent.
 */
export type ProviderReport = Readonly<{
  listeners: Readonly<Record<string, Readonly<{ status: 'OPEN' | 'FULL'; counters: ListenerCounters }>>>;
  pools: Readonly<
    Record<
      string,
      Readonly<{
        status: 'UP' | 'DOWN';
        members: Readonly<Record<string, 'UP' | 'DOWN' | 'DRAIN' | 'MAINT' | 'no check'>>;
        /** traffic per member, for metrics; absent from data planes that do not count it (noop) */
        counters?: Readonly<Record<string, MemberCounters>>;
      }>
    >
  >;
}>;

/**
 * Access log lines a data plane wrote since the last take (oldest first), in Octavia's tenant flow log format
 * from `%f` on (the control plane prepends project and load balancer ids), and how many lines it dropped
 * because its buffer was full.
 */
export type AccessLogBatch = Readonly<{ lines: readonly string[]; dropped: number }>;

export interface ProviderDriver {
  readonly info: ProviderInfo;
  /** Makes the data plane serve exactly `desired`; resolves when it does, rejects with a user-facing reason. */
  apply(desired: DesiredLoadBalancer): Promise<void>;
  /** Tears down everything the provider holds for the load balancer; idempotent. */
  remove(loadBalancerId: string): Promise<void>;
  /**
   * What the data plane sees now, for a load balancer it serves; absent for providers that observe nothing. A
   * report is never changed in place: a new observation is a new object (the agent skips an object it sent).
   */
  report?(loadBalancerId: string): ProviderReport | undefined;
  /**
   * Takes up to `max` of the access log lines the load balancer's data plane buffered; absent for providers
   * that log nothing. What is taken is the caller's to ship (the data plane forgets it).
   */
  drainLogs?(loadBalancerId: string, max: number): AccessLogBatch | undefined;
  /** Stops every data plane it runs (process shutdown). */
  close?(): Promise<void>;
}
