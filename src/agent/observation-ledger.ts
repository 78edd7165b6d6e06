// What the agent last reported of each load balancer's data plane, so a heartbeat carries only observations that
// changed: at 1,000 load balancers a full report is 1,000 row writes every heartbeat (issue #18). The first
// report carries everything; after it each load balancer's observation is sent anyway once in every
// FULL_REPORT_EVERY heartbeats (a rotating slice of them per heartbeat, not all at once: a burst of 1,000
// writes stalled the API for that heartbeat), and right after it is applied or removed, so a row the server
// lost or recreated (a failover placed it here again) is filled within that many heartbeats.
import type { ProviderReport } from '../model/provider-driver.ts';
import { inRefreshSlice } from '../model/refresh-slice.ts';

export const FULL_REPORT_EVERY = 30;

export type ObservationBatch = Readonly<{
  observed: Record<string, ProviderReport>;
  /** the server took the report: these become what it holds */
  acknowledge(): void;
}>;

export class ObservationLedger {
  /** per load balancer, the JSON of the observation the server acknowledged last, and that observation */
  readonly #sent = new Map<string, { text: string; report: ProviderReport }>();
  /** refreshing reports so far: the next one's slice */
  #refreshes = 0;

  /**
   * The observations of `now` the server may not hold (all of them the first time), and with `refresh` (a
   * heartbeat's report) the next slice of the unchanged ones.
   */
  batch(
    now: Record<string, ProviderReport>,
    options: Readonly<{ refresh?: boolean }> = {},
  ): ObservationBatch {
    const refresh = options.refresh ?? true;
    const pass = this.#refreshes;
    if (refresh) this.#refreshes += 1;
    const observed: Record<string, ProviderReport> = {};
    const texts = new Map<string, { text: string; report: ProviderReport }>();
    for (const [id, report] of Object.entries(now)) {
      const due = refresh && inRefreshSlice(id, pass, FULL_REPORT_EVERY);
      const held = this.#sent.get(id);
      // The same object as last time is the same observation (the native worker pool keeps unchanged ones).
      if (!due && held?.report === report) continue;
      const text = JSON.stringify(report);
      if (!due && held?.text === text) continue;
      observed[id] = report;
      texts.set(id, { text, report });
    }
    for (const id of this.#sent.keys()) if (!Object.hasOwn(now, id)) this.#sent.delete(id);
    return {
      observed,
      acknowledge: () => {
        for (const [id, sent] of texts) this.#sent.set(id, sent);
      },
    };
  }

  /** Load balancers applied or removed again: their next observation is sent whatever it is. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.#sent.delete(id);
  }
}
