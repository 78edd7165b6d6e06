// `sluice native-worker --socket PATH --pid-file PATH`: one process of an agent's native data plane, started
// detached by the agent (own session, no IPC channel), never by hand. It serves on when its agent dies; the
// next agent adopts it through the socket. A `stop` request or SIGTERM drains it (bounded) and it exits.
import { createHealthTracker } from '../providers/native/health/health-tracker.ts';
import { NativeProvider } from '../providers/native/native-provider.ts';
import { NativeWorker } from '../providers/native/workers/serve-native-worker.ts';

export async function runNativeWorker(flags: {
  socket?: string;
  pidFile?: string;
  connectionLogging?: boolean;
}): Promise<void> {
  if (!flags.socket || !flags.pidFile)
    throw new Error('sluice native-worker is started by `sluice agent`, with --socket and --pid-file');
  const worker = new NativeWorker({
    provider: new NativeProvider({
      healthFactory: (pools) => createHealthTracker(pools),
      // Octavia's `[haproxy_amphora] connection_logging = False`: no access log lines at all.
      connectionLogging: flags.connectionLogging !== false,
    }),
    socketPath: flags.socket,
    pidFile: flags.pidFile,
  });
  // Its own session has no terminal, but an operator's Ctrl-C in a shell that started it must not stop it.
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {});
  process.once('SIGTERM', () => void worker.stop());
  await worker.listen();
  await worker.done;
  // Answers to the last request (stop) are flushed before the exit.
  setTimeout(() => process.exit(0), 50).unref();
}
