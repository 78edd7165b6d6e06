// Runs one parsed CLI request: logs in from the OS_* environment, does the work, and turns a CliError into
// its one-line message on stderr and exit status 1.
import { connect } from './api-client.ts';
import type { CliRequest } from './cli-commands.ts';
import { CliError } from './cli-error.ts';
import { runEvents } from './events-command.ts';
import { findResource } from './find-resource.ts';
import { runLogs } from './logs-command.ts';
import { formatObject, outputFormat } from './print-output.ts';
import { type Io, runResourceCommand } from './resource-command.ts';
import { KINDS } from './resource-kinds.ts';
import { runApply, runExport } from './stack-command.ts';
import { renderStatusTree, type StatusTree } from './status-tree.ts';
import { runTop } from './top-command.ts';

export async function runCli(
  request: CliRequest,
  io: Io = { stdout: process.stdout, stderr: process.stderr },
) {
  try {
    const api = await connect(process.env);
    switch (request.command) {
      case 'resource':
        return await runResourceCommand(api, request, io);
      case 'status': {
        const lb = await findResource(api, KINDS.loadbalancer, request.lb);
        const tree = ((await api.lbaas('GET', `/loadbalancers/${lb.id}/status`)) as { statuses: StatusTree })
          .statuses;
        if (request.options.output === 'tree' || request.options.output === undefined) {
          // NO_COLOR (https://no-color.org/) turns the terminal's colours off; --color forces them on.
          const colour = Boolean(request.options.color || (io.stdout.isTTY && !process.env.NO_COLOR));
          io.stdout.write(renderStatusTree(tree, colour));
        } else {
          io.stdout.write(formatObject(tree, outputFormat(request.options.output)));
        }
        return;
      }
      case 'apply':
        return await runApply(api, request.options, io);
      case 'export':
        return await runExport(api, request.lb, io);
      case 'top':
        return await runTop(api, request.lb, request.options, io);
      case 'events':
        return await runEvents(api, request.lb, request.options, io);
      case 'logs':
        return await runLogs(api, request.lb, request.options, io);
    }
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`sluice: ${error.message}\n`);
    process.exitCode = error.exitCode;
  }
}
