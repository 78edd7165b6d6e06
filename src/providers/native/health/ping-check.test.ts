import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { healthMonitor } from './health-test-fixtures.ts';
import { createPingCheck, pingCheck } from './ping-check.ts';

const monitor = healthMonitor({ type: 'PING', timeout: 1 });
const pingInstalled = await new Promise<boolean>((resolve) =>
  execFile('ping', ['-c', '1', '-W', '1', '127.0.0.1'], (error) =>
    resolve((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT'),
  ),
);

test('a PING check fails with a clear reason when the ping command is not installed', async () => {
  const check = createPingCheck('sluice-no-such-ping-command');
  await assert.rejects(check({ address: '127.0.15.1', port: 0 }, monitor, AbortSignal.timeout(5000)), {
    message: "PING health check cannot run: the 'sluice-no-such-ping-command' command is not installed",
  });
});

test('a PING check is up for a loopback address that answers ICMP echo', {
  skip: pingInstalled ? false : 'skipped: the system `ping` command is not installed',
}, async () => {
  assert.equal(await pingCheck({ address: '127.0.15.1', port: 0 }, monitor, AbortSignal.timeout(5000)), true);
});
