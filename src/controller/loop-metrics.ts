// Metrics of the controller's loops (issue #16), in prom-client's process-wide registry: how many passes each
// loop made and how they ended, and how long they took. The API process that runs the loops (`sluice serve`)
// shows them on its /metrics beside its own. Loops: `provisioner` (one pass = one load balancer converged),
// `status-aggregator`, `health-manager`, `housekeeping`.
import { Counter, Histogram, register } from 'prom-client';

const passes = new Counter({
  name: 'sluice_controller_passes_total',
  help: 'Passes of a controller loop, by loop and outcome (ok or failed).',
  labelNames: ['loop', 'outcome'] as const,
  registers: [register],
});
const seconds = new Histogram({
  name: 'sluice_controller_pass_duration_seconds',
  help: 'How long a pass of a controller loop took.',
  labelNames: ['loop'] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  registers: [register],
});

export type ControllerLoop = 'provisioner' | 'status-aggregator' | 'health-manager' | 'housekeeping';

/** Runs one pass of `loop`, counting it and its time; what it resolves or rejects with passes through. */
export async function timedPass<T>(loop: ControllerLoop, work: () => Promise<T>): Promise<T> {
  const end = seconds.startTimer({ loop });
  try {
    const result = await work();
    passes.inc({ loop, outcome: 'ok' });
    return result;
  } catch (error) {
    passes.inc({ loop, outcome: 'failed' });
    throw error;
  } finally {
    end();
  }
}
