// What the agent last reported of each load balancer's data plane, so a heartbeat carries only observations that
// changed: at 1,000 load balancers a full report is 1,000 row writes every heartbeat (issue #18). Every
// FULL_REPORT_EVERY reports, and for a load balancer just applied or removed, the observation is sent anyway, so
// a row the server lost or recreated (a failover placed it here again) is filled within that many heartbeats.
import type { ProviderReport } from '../model/provider-driver.ts';

export const FULL_REPORT_EVERY = 30;

export type ObservationBatch = Readonly<{
  observed: Record<string, ProviderReport>;
  /** the server took the report: these become what it holds */
  acknowledge(): void;
}>;

export class ObservationLedger {
  /** per load balancer, the JSON of the observation the server acknowledged last */
  readonly #sent = new Map<string, string>();
  #reports = 0;

  /** The observations of `now` the server does not hold yet (all of them on every FULL_REPORT_EVERY-th). */
  batch(now: Record<string, ProviderReport>): ObservationBatch {
    const full = this.#reports % FULL_REPORT_EVERY === 0;
    this.#reports += 1;
    const observed: Record<string, ProviderReport> = {};
    const texts = new Map<string, string>();
    for (const [id, report] of Object.entries(now)) {
      const text = JSON.stringify(report);
      if (!full && this.#sent.get(id) === text) continue;
      observed[id] = report;
      texts.set(id, text);
    }
    for (const id of this.#sent.keys()) if (!Object.hasOwn(now, id)) this.#sent.delete(id);
    return {
      observed,
      acknowledge: () => {
        for (const [id, text] of texts) this.#sent.set(id, text);
      },
    };
  }

  /** Load balancers applied or removed again: their next observation is sent whatever it is. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.#sent.delete(id);
  }
}
