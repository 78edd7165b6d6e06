// `sluice logs LB [-f]`: the load balancer's access log lines (Octavia's tenant log format) from
// GET /sluice/v1/loadbalancers/{id}/logs, oldest first; `-f` then follows: each request waits (long-polls) for
// lines after the last one printed, until interrupted.
import type { ApiClient } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource } from './find-resource.ts';
import type { Io } from './resource-command.ts';
import { KINDS } from './resource-kinds.ts';

type LogPage = { logs: { id: number | string; listener_id: string; line: string }[]; dropped?: number };

export async function runLogs(api: ApiClient, lbName: string, options: Record<string, unknown>, io: Io) {
  const limit = Number(options.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be 1 to 1000');
  const lb = await findResource(api, KINDS.loadbalancer, lbName);
  const listener = options.listener
    ? (await findResource(api, KINDS.listener, String(options.listener))).id
    : undefined;
  let marker: string | undefined;
  let follow = false;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (marker !== undefined) query.set('marker', marker);
    if (listener !== undefined) query.set('listener_id', listener);
    if (follow) query.set('follow', 'true');
    const page = (await api.sluice(`/loadbalancers/${lb.id}/logs?${query}`)) as LogPage;
    for (const entry of page.logs) io.stdout.write(`${entry.line}\n`);
    if (page.logs.length > 0) marker = String(page.logs.at(-1)?.id);
    // A full page: more are waiting now. Otherwise, without -f, everything there is has been printed.
    if (page.logs.length < limit) {
      if (!options.follow) return;
      follow = true;
    }
  }
}
