// Messages between an agent and its native data-plane worker processes (`sluice agent --native-workers N`),
// over the IPC channel of node:child_process. Every request carries a sequence number its answer repeats.
import type { DesiredLoadBalancer } from '../../../model/desired-state.ts';
import type { ProviderReport } from '../../../model/provider-driver.ts';

/** What the agent asks; it is sent as a WorkerRequest, numbered. */
export type WorkerRequestBody = Readonly<
  | { kind: 'apply'; desired: DesiredLoadBalancer }
  | { kind: 'remove'; loadBalancerId: string }
  | { kind: 'report' }
>;

export type WorkerRequest = WorkerRequestBody & Readonly<{ seq: number }>;

export type WorkerAnswer = Readonly<
  | { kind: 'done'; seq: number; error: string | null }
  | { kind: 'reports'; seq: number; reports: Readonly<Record<string, ProviderReport>> }
>;

/** Sent once by a worker when it is ready for requests. */
export type WorkerReady = Readonly<{ kind: 'ready'; pid: number }>;

export type WorkerMessage = WorkerAnswer | WorkerReady;
