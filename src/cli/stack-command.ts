// `sluice apply -f FILE` (read live state, print the plan, converge it) and `sluice export LB` (print the
// live load balancer as a stack document).
import fs from 'node:fs';
import type { ApiClient } from './api-client.ts';
import { applyPlan } from './apply-plan.ts';
import { CliError } from './cli-error.ts';
import { readLiveStack } from './read-live-stack.ts';
import type { Io } from './resource-command.ts';
import { parseStack, stringifyStack } from './stack-document.ts';
import { computePlan, renderPlan } from './stack-plan.ts';

export async function runApply(
  api: ApiClient,
  options: { file?: string; dryRun?: boolean },
  io: Io,
): Promise<void> {
  if (!options.file) throw new CliError('apply needs -f FILE (a stack document; - reads stdin)');
  let text: string;
  try {
    text = fs.readFileSync(options.file === '-' ? 0 : options.file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const desired = parseStack(text, options.file);
  const live = await readLiveStack(api, String(desired.loadbalancer.name));
  const steps = computePlan(desired, live);
  io.stdout.write(renderPlan(steps));
  if (options.dryRun || steps.length === 0) return;
  await applyPlan(api, steps, live, io.stderr);
}

export async function runExport(api: ApiClient, lb: string, io: Io): Promise<void> {
  const live = await readLiveStack(api, lb, true);
  io.stdout.write(stringifyStack(live!));
}
