// Messages between an agent and its native data-plane worker processes (`sluice agent --native-workers N`),
// as length-prefixed JSON frames over the worker's UNIX socket (frame-codec.ts). Every request carries a
// sequence number its answer repeats; a worker answers each connection separately.
import type { DesiredLoadBalancer } from '../../../model/desired-state.ts';
import type { AccessLogBatch, ProviderReport } from '../../../model/provider-driver.ts';

/** What the agent asks; it is sent as a WorkerRequest, numbered. */
export type WorkerRequestBody = Readonly<
  | { kind: 'hello' }
  | { kind: 'apply'; desired: DesiredLoadBalancer }
  | { kind: 'remove'; loadBalancerId: string }
  /**
   * every served load balancer's report; with `changes`, only those whose report changed since the last answer
   * on this connection (the whole set on a new connection), and `gone` for those no longer reported. With
   * `only` (and `changes`), just those load balancers are looked at and no access log lines are taken: what an
   * apply asks for its own load balancer, so a change does not cost a report of every load balancer served. A
   * worker from before `only` answers as without it, which the agent takes just as well.
   */
  | { kind: 'report'; changes?: boolean; only?: readonly string[] }
  /** stop the data plane for good (draining) and exit: the agent's own clean shutdown */
  | { kind: 'stop' }
>;

export type WorkerRequest = WorkerRequestBody & Readonly<{ seq: number }>;

export type WorkerAnswer = Readonly<
  /** to hello: who the worker is and every load balancer it was asked to serve, as last asked */
  | { kind: 'state'; seq: number; pid: number; served: readonly DesiredLoadBalancer[] }
  | { kind: 'done'; seq: number; error: string | null }
  /** without `gone` the whole set (always, from a worker that predates `changes`) */
  | {
      kind: 'reports';
      seq: number;
      reports: Readonly<Record<string, ProviderReport>>;
      gone?: readonly string[];
      /** with `changes`: access log lines taken from each load balancer's buffer since the last answer */
      logs?: Readonly<Record<string, AccessLogBatch>>;
    }
>;
