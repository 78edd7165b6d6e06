// `sluice top LB`: scrapes the load balancer's metrics through the API (GET /sluice/v1/loadbalancers/{id}/
// metrics) every --interval seconds and redraws the view (top-view.ts): in place on a terminal, one frame
// after another in a pipe. Runs until interrupted, or for --count frames.
import type { ApiClient, ApiObject } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { findResource } from './find-resource.ts';
import { parseMetricsText, type Sample } from './metrics-text.ts';
import type { Io } from './resource-command.ts';
import { KINDS } from './resource-kinds.ts';
import { renderTop } from './top-view.ts';

/** ANSI: cursor home, erase display (ECMA-48 §8.3.21 CUP, §8.3.39 ED). */
const CLEAR = '\x1b[H\x1b[2J';

export async function runTop(api: ApiClient, lbName: string, options: Record<string, unknown>, io: Io) {
  const interval = Number(options.interval ?? 2);
  const count = options.count === undefined ? Number.POSITIVE_INFINITY : Number(options.count);
  if (!(interval >= 0.2 && interval <= 3600))
    throw new CliError('--interval must be between 0.2 and 3600 seconds');
  if (!(Number.isInteger(count) || count === Number.POSITIVE_INFINITY) || count < 1)
    throw new CliError('--count must be a whole number ≥ 1');
  const lb = await findResource(api, KINDS.loadbalancer, lbName);
  const names = await objectNames(api, lb);
  const scrape = async () =>
    parseMetricsText(String((await api.sluice(`/loadbalancers/${lb.id}/metrics`)) ?? ''));
  let before: Sample[] = await scrape();
  let at = performance.now();
  for (let frame = 0; frame < count; frame += 1) {
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
    const now = await scrape();
    const seconds = (performance.now() - at) / 1000;
    const current = (await api.lbaas('GET', `/loadbalancers/${lb.id}`)) as { loadbalancer: ApiObject };
    const { provisioning_status: p, operating_status: o } = current.loadbalancer;
    const head = `${lb.name || lb.id}  ${p}/${o}  every ${interval} s\n\n`;
    io.stdout.write(
      `${io.stdout.isTTY ? CLEAR : frame > 0 ? '\n' : ''}${head}${renderTop(before, now, seconds, names)}`,
    );
    before = now;
    at += seconds * 1000;
  }
}

/** Names of the load balancer's listeners, pools and members by id, from its status tree. */
async function objectNames(api: ApiClient, lb: ApiObject): Promise<Map<string, string>> {
  type Named = { id: string; name?: string; pools?: Named[]; members?: Named[]; listeners?: Named[] };
  const tree = (
    (await api.lbaas('GET', `/loadbalancers/${lb.id}/status`)) as { statuses: { loadbalancer: Named } }
  ).statuses.loadbalancer;
  const names = new Map<string, string>();
  const walk = (node: Named) => {
    if (node.name) names.set(node.id, node.name);
    for (const child of [...(node.listeners ?? []), ...(node.pools ?? []), ...(node.members ?? [])])
      walk(child);
  };
  walk(tree);
  return names;
}
