// Registers the operator commands (`sluice lb|listener|pool|member|healthmonitor|l7policy|l7rule …`,
// `status`, `top`, `events`, `logs`, `apply`, `export`) on the program; each action loads the code that runs it only when it runs.
import type { Command } from 'commander';
import type { ResourceRequest, Verb } from './resource-command.ts';
import { collectionPath, KINDS, type Kind } from './resource-kinds.ts';

export type CliRequest =
  | ({ command: 'resource' } & ResourceRequest)
  | { command: 'status'; lb: string; options: Record<string, unknown> }
  | { command: 'apply'; options: Record<string, unknown> }
  | { command: 'export'; lb: string; options: Record<string, unknown> }
  | { command: 'top'; lb: string; options: Record<string, unknown> }
  | { command: 'events'; lb: string; options: Record<string, unknown> }
  | { command: 'logs'; lb: string; options: Record<string, unknown> };

export type Dispatch = (request: CliRequest) => Promise<void>;

const defaultDispatch: Dispatch = async (request) => (await import('./run-cli.ts')).runCli(request);

const plural = (label: string) => (label.endsWith('y') ? `${label.slice(0, -1)}ies` : `${label}s`);

function addOutput(command: Command) {
  return command.option('-o, --output <format>', 'table, json or yaml', 'table');
}

function addFieldOptions(command: Command, kind: Kind, verb: 'create' | 'set') {
  for (const spec of kind.options) {
    if (!spec.verbs.includes(verb)) continue;
    if (spec.required && verb === 'create') command.requiredOption(spec.flag, spec.help);
    else command.option(spec.flag, spec.help);
  }
  for (const pair of kind.switches) {
    command.option(pair.on, `${pair.help}: on`);
    command.option(pair.off, `${pair.help}: off`);
  }
  return command;
}

function resourceCommands(program: Command, kind: Kind, dispatch: Dispatch) {
  const group = program
    .command(kind.command)
    .description(
      `Manage ${plural(kind.label)} (Octavia /v2/lbaas${collectionPath(kind, `{${kind.parent}_id}`)}).`,
    );
  const parent = kind.parent ? `<${KINDS[kind.parent].command}> ` : '';
  const target = `<${kind.command}>`;
  const run =
    (verb: Verb) =>
    async (...received: unknown[]) => {
      const command = received.at(-1) as Command;
      const options = command.opts();
      const args = received.slice(0, -2).map(String);
      await dispatch({ command: 'resource', kind: kind.name, verb, args, options });
    };
  addOutput(group.command(`list ${parent}`.trim()).description(`List ${plural(kind.label)}.`)).action(
    run('list'),
  );
  addOutput(
    group.command(`show ${parent}${target}`).description(`Show one ${kind.label} (name or id).`),
  ).action(run('show'));
  const createParent = kind.createParent ? ` <${KINDS[kind.createParent.kind].command}>` : '';
  const create = group
    .command(`create${parent ? ` ${parent.trim()}` : ''}${createParent}`)
    .description(`Create a ${kind.label}.`);
  addFieldOptions(addOutput(create), kind, 'create').option(
    '--wait',
    'wait until the load balancer is ACTIVE',
  );
  create.action(run('create'));
  const set = group.command(`set ${parent}${target}`).description(`Change a ${kind.label}.`);
  addFieldOptions(set, kind, 'set')
    .option('--wait', 'wait until the load balancer is ACTIVE')
    .action(run('set'));
  const remove = group.command(`delete ${parent}${target}`).description(`Delete a ${kind.label}.`);
  remove.option(
    '--wait',
    kind.name === 'loadbalancer' ? 'wait until it is gone' : 'wait until the load balancer is ACTIVE',
  );
  if (kind.name === 'loadbalancer') remove.option('--cascade', 'delete everything under it too');
  remove.action(run('delete'));
}

export function registerCliCommands(program: Command, dispatch: Dispatch = defaultDispatch): void {
  for (const kind of Object.values(KINDS)) resourceCommands(program, kind, dispatch);
  program
    .command('status <lb>')
    .description(
      "Show a load balancer's status tree (provisioning / operating status of everything under it).",
    )
    .option('--color', 'colour the statuses even when stdout is not a terminal')
    .option('-o, --output <format>', 'tree, json or yaml', 'tree')
    .action((lb: string, options: Record<string, unknown>) => dispatch({ command: 'status', lb, options }));
  program
    .command('top <lb>')
    .description("Watch a load balancer's traffic: sessions per second per listener, requests per member.")
    .option('--interval <seconds>', 'seconds between frames', '2')
    .option('--count <n>', 'stop after this many frames (default: until interrupted)')
    .action((lb: string, options: Record<string, unknown>) => dispatch({ command: 'top', lb, options }));
  addOutput(
    program
      .command('events <lb>')
      .description("List a load balancer's status changes, newest first, with their reasons.")
      .option('--limit <n>', 'how many (1 to 1000)', '50'),
  ).action((lb: string, options: Record<string, unknown>) => dispatch({ command: 'events', lb, options }));
  program
    .command('logs <lb>')
    .description("Print a load balancer's access log lines (Octavia's tenant log format), oldest first.")
    .option('-f, --follow', 'then wait for new lines and print them as they come, until interrupted')
    .option('--listener <listener>', "only this listener's lines (name or id)")
    .option('--limit <n>', 'lines per request (1 to 1000)', '1000')
    .action((lb: string, options: Record<string, unknown>) => dispatch({ command: 'logs', lb, options }));
  program
    .command('apply')
    .description('Make a load balancer match a stack document: print the plan, then converge it.')
    .option('-f, --file <file>', 'the stack document (YAML; - reads stdin)')
    .option('--dry-run', 'print the plan only')
    .action((options: Record<string, unknown>) => dispatch({ command: 'apply', options }));
  program
    .command('export <lb>')
    .description('Print a live load balancer and everything under it as a stack document.')
    .action((lb: string, options: Record<string, unknown>) => dispatch({ command: 'export', lb, options }));
}
