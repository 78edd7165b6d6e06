// `sluice native-worker`: one data-plane process of an agent run with `--native-workers N`. Started by the
// agent with an IPC channel, never by hand. The agent's going away (the channel closing) stops it: it drains
// for at most STOP_GRACE_MS, then exits. SIGINT from a terminal is left to the agent, which closes the channel.
import { createHealthTracker } from '../providers/native/health/health-tracker.ts';
import { NativeProvider } from '../providers/native/native-provider.ts';
import { serveNativeWorker } from '../providers/native/workers/serve-native-worker.ts';
import type { WorkerMessage, WorkerRequest } from '../providers/native/workers/worker-protocol.ts';

const STOP_GRACE_MS = 5000;

export async function runNativeWorker(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send)
    throw new Error('sluice native-worker is started by `sluice agent --native-workers N`, not by hand');
  process.on('SIGINT', () => {});
  process.once('SIGTERM', () => process.disconnect());
  const provider = new NativeProvider({ healthFactory: (pools) => createHealthTracker(pools) });
  const served = serveNativeWorker(provider, {
    // With a callback, a channel closing under an answer is not an 'error' event (which would crash).
    send: (message: WorkerMessage) => {
      if (process.connected) send(message, undefined, {}, () => {});
    },
    onMessage: (listener: (message: WorkerRequest) => void) => process.on('message', listener),
    onDisconnect: (listener: () => void) => {
      process.once('disconnect', () => {
        setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
        listener();
      });
    },
  });
  // It may have been orphaned while it was still loading: then the channel is already closed.
  if (!process.connected) process.exit(0);
  await served;
  process.exit(0);
}
