// --wait: polls the owning load balancer until it is ACTIVE again (or gone, after deleting it), reporting
// progress on stderr — one line rewritten in place on a terminal, one line per state change otherwise.
import type { ApiClient } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { NotFoundError } from './http-request.ts';

export type Progress = { isTTY?: boolean; write(text: string): unknown };

export type WaitOptions = { gone?: boolean; timeoutMs?: number; progress?: Progress };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reports each state once: in place (\r, erase line) on a TTY, a new line otherwise. */
export function progressReporter(progress: Progress | undefined, label: string) {
  let last = '';
  return {
    state(state: string, seconds: number) {
      if (!progress) return;
      if (progress.isTTY) progress.write(`\r\x1b[K${label}: ${state} (${seconds}s)`);
      else if (state !== last) progress.write(`${label}: ${state}\n`);
      last = state;
    },
    done() {
      if (progress?.isTTY && last) progress.write('\n');
    },
  };
}

export async function waitForLoadBalancer(api: ApiClient, lbId: string, options: WaitOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = Date.now();
  const report = progressReporter(options.progress, `load balancer ${lbId}`);
  let interval = 100;
  try {
    for (;;) {
      let state: string;
      try {
        const body = (await api.lbaas('GET', `/loadbalancers/${lbId}`)) as {
          loadbalancer: Record<string, string>;
        };
        state = body.loadbalancer.provisioning_status;
      } catch (error) {
        if (options.gone && error instanceof NotFoundError) {
          report.state('DELETED', Math.round((Date.now() - started) / 1000));
          return;
        }
        throw error;
      }
      report.state(state, Math.round((Date.now() - started) / 1000));
      if (state === 'ERROR') throw new CliError(`load balancer ${lbId} went to ERROR`);
      if (state === 'ACTIVE' && !options.gone) return;
      if (state === 'DELETED' && options.gone) return;
      if (Date.now() - started > timeoutMs) {
        throw new CliError(`load balancer ${lbId} still ${state} after ${Math.round(timeoutMs / 1000)}s`);
      }
      await sleep(interval);
      interval = Math.min(interval * 2, 1000);
    }
  } finally {
    report.done();
  }
}
