// The worker side of `--native-workers`: one process serving the load balancers its agent routes to it, on
// an ordinary NativeProvider, answering the agent's requests over the IPC channel. It stops its data plane
// (draining, as the agent itself would) and exits when the agent goes away, even by kill -9.
import type { ProviderDriver, ProviderReport } from '../../../model/provider-driver.ts';
import type { WorkerAnswer, WorkerReady, WorkerRequest } from './worker-protocol.ts';

export type WorkerChannel = Readonly<{
  send(message: WorkerAnswer | WorkerReady): void;
  onMessage(listener: (message: WorkerRequest) => void): void;
  onDisconnect(listener: () => void): void;
}>;

/** Serves requests until the channel closes; resolves once the data plane is stopped. */
export function serveNativeWorker(provider: ProviderDriver, channel: WorkerChannel): Promise<void> {
  /** the load balancers routed here (applied or not), whose reports the agent gets */
  const served = new Set<string>();
  return new Promise((resolve) => {
    channel.onMessage((request) => {
      if (request.kind === 'apply') served.add(request.desired.id);
      if (request.kind === 'remove') served.delete(request.loadBalancerId);
      void answer(provider, request, served).then(
        (message) => channel.send(message),
        // A channel closed under an answer: the agent is gone, the disconnect handler stops the worker.
        () => {},
      );
    });
    channel.onDisconnect(() => {
      void (provider.close?.() ?? Promise.resolve()).finally(resolve);
    });
    channel.send({ kind: 'ready', pid: process.pid });
  });
}

async function answer(
  provider: ProviderDriver,
  request: WorkerRequest,
  served: ReadonlySet<string>,
): Promise<WorkerAnswer> {
  if (request.kind === 'report') {
    const reports: Record<string, ProviderReport> = {};
    for (const id of served) {
      const report = provider.report?.(id);
      if (report) reports[id] = report;
    }
    return { kind: 'reports', seq: request.seq, reports };
  }
  try {
    if (request.kind === 'apply') await provider.apply(request.desired);
    else await provider.remove(request.loadBalancerId);
    return { kind: 'done', seq: request.seq, error: null };
  } catch (error) {
    return { kind: 'done', seq: request.seq, error: error instanceof Error ? error.message : String(error) };
  }
}
