// `sluice events LB`: the load balancer's status changes, newest first, from GET /sluice/v1/loadbalancers/{id}/
// events: when, which object, which status went from what to what, and why.
import type { ApiClient } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource } from './find-resource.ts';
import { formatList, outputFormat } from './print-output.ts';
import type { Io } from './resource-command.ts';
import { KINDS } from './resource-kinds.ts';

const COLUMNS = ['created_at', 'resource_type', 'resource_id', 'field', 'from', 'to', 'reason'] as const;

export async function runEvents(api: ApiClient, lbName: string, options: Record<string, unknown>, io: Io) {
  const format = outputFormat(options.output);
  const limit = Number(options.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be 1 to 1000');
  const lb = await findResource(api, KINDS.loadbalancer, lbName);
  const page = (await api.sluice(`/loadbalancers/${lb.id}/events?limit=${limit}`)) as {
    events: Record<string, unknown>[];
  };
  io.stdout.write(formatList(page.events, COLUMNS, format));
}
