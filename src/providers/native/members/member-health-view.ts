// The seam between the engine and member health checking: the engine only asks "is this member up?";
// health/health-tracker.ts provides the HealthTracker shape below and plugs in through a HealthFactory.
import type { DesiredPool } from '../../../model/desired-state.ts';

/** What the engine needs to know about member health when it picks a member. */
export interface MemberHealthView {
  isUp(poolId: string, memberId: string): boolean;
}

/** A health checker the provider owns per load balancer: updated on every apply, closed on remove. */
export type HealthTracker = MemberHealthView & {
  update(pools: readonly DesiredPool[]): void;
  close(): Promise<void>;
  /** The checked state; undefined when the member is not checked (reported as `no check`, reference §11.2). */
  statusOf?(poolId: string, memberId: string): 'UP' | 'DOWN' | undefined;
};

export type HealthFactory = (pools: readonly DesiredPool[]) => HealthTracker;

/** The default when no checker is plugged in: every member is up and none is checked. */
export const uncheckedHealth: HealthFactory = () => ({
  isUp: () => true,
  update: () => {},
  close: async () => {},
});
