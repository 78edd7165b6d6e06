import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { test } from 'node:test';
import type { DesiredHealthMonitor, DesiredMember, DesiredPool } from '../../../model/desired-state.ts';
import type { HealthFactory, MemberHealthView } from '../members/member-health-view.ts';
import { closeServer, healthMonitor, listenOn, waitFor } from './health-test-fixtures.ts';
import { createHealthTracker, HealthTracker } from './health-tracker.ts';

// Compile-time: the tracker plugs into the engine's seam as is.
const asView: (tracker: HealthTracker) => MemberHealthView = (tracker) => tracker;
const asFactory: HealthFactory = createHealthTracker;
void asView;
void asFactory;

/** Margin over delay × count: generous, the machine has 2 cores and checks run on one-second ticks. */
const MARGIN_MS = 3000;

function member(
  id: string,
  address: string,
  protocolPort: number,
  extra: Partial<DesiredMember> = {},
): DesiredMember {
  const defaults = { weight: 1, backup: false, adminStateUp: true, monitorAddress: null, monitorPort: null };
  return { id, address, protocolPort, subnetId: null, ...defaults, ...extra };
}

function pool(id: string, members: DesiredMember[], monitor: DesiredHealthMonitor | null): DesiredPool {
  const tls = {
    enabled: false,
    containerRef: null,
    caContainerRef: null,
    crlContainerRef: null,
    ciphers: null,
  };
  return {
    id,
    protocol: 'TCP',
    lbAlgorithm: 'ROUND_ROBIN',
    adminStateUp: true,
    sessionPersistence: null,
    tls: { ...tls, versions: [], alpnProtocols: [], material: null },
    members,
    healthMonitor: monitor,
  };
}

async function closedPort(address: string): Promise<number> {
  const server = createServer();
  const port = await listenOn(server, address);
  await closeServer(server);
  return port;
}

function newTracker(log: string[] = []): HealthTracker {
  return new HealthTracker({ log: (message) => log.push(message), random: () => 0 });
}

test('members are up and not monitored without an enabled, supported monitor or when disabled', async () => {
  const tracker = newTracker();
  const port = await closedPort('127.0.16.1');
  try {
    tracker.update([
      pool('no-monitor', [member('m1', '127.0.16.1', port)], null),
      pool('disabled-monitor', [member('m1', '127.0.16.1', port)], healthMonitor({ adminStateUp: false })),
      pool('sctp', [member('m1', '127.0.16.1', port)], healthMonitor({ type: 'SCTP' })),
      pool('tcp', [member('off', '127.0.16.1', port, { adminStateUp: false })], healthMonitor()),
    ]);
    for (const [poolId, memberId] of [
      ['no-monitor', 'm1'],
      ['disabled-monitor', 'm1'],
      ['sctp', 'm1'],
      ['tcp', 'off'],
      ['unknown', 'unknown'],
    ]) {
      assert.equal(tracker.statusOf(poolId, memberId), undefined, `${poolId}/${memberId}`);
      assert.equal(tracker.isUp(poolId, memberId), true, `${poolId}/${memberId}`);
    }
  } finally {
    await tracker.close();
  }
});

test('a member goes DOWN after max_retries_down failed checks and UP again after max_retries successes', async () => {
  const log: string[] = [];
  const tracker = newTracker(log);
  let backend = createServer((socket) => socket.destroy());
  const port = await listenOn(backend, '127.0.16.2');
  const monitor = healthMonitor({ delay: 1, maxRetriesDown: 2, maxRetries: 2 });
  try {
    tracker.update([pool('p1', [member('m1', '127.0.16.2', port)], monitor)]);
    // Optimistic start: traffic may flow before the first check.
    assert.equal(tracker.statusOf('p1', 'm1'), 'UP');

    await closeServer(backend);
    const fallMs = await waitFor(() => tracker.statusOf('p1', 'm1') === 'DOWN', 1000 * 2 + MARGIN_MS);
    // One failure is not enough: the second failed check, a delay later, ejects it.
    assert.ok(fallMs >= 900, `DOWN after ${fallMs} ms`);
    assert.equal(tracker.isUp('p1', 'm1'), false);

    backend = createServer((socket) => socket.destroy());
    await listenOn(backend, '127.0.16.2', port);
    const riseMs = await waitFor(() => tracker.statusOf('p1', 'm1') === 'UP', 1000 * 2 + MARGIN_MS);
    assert.ok(riseMs >= 900, `UP after ${riseMs} ms`);
    assert.equal(tracker.isUp('p1', 'm1'), true);
    assert.ok(log.some((line) => line.includes('member m1 of pool p1 is DOWN')));
    assert.ok(log.some((line) => line.includes('member m1 of pool p1 is UP')));
  } finally {
    await tracker.close();
    if (backend.listening) await closeServer(backend);
  }
});

test('checks go to monitor_address and monitor_port instead of the member address', async () => {
  const tracker = newTracker();
  const backend = createServer((socket) => socket.destroy());
  const port = await listenOn(backend, '127.0.16.3');
  const refused = await closedPort('127.0.16.4');
  const monitor = healthMonitor({ maxRetriesDown: 1 });
  try {
    const checkedElsewhere = member('m1', '127.0.16.3', port, {
      monitorAddress: '127.0.16.4',
      monitorPort: refused,
    });
    tracker.update([pool('p1', [checkedElsewhere], monitor)]);
    await waitFor(() => tracker.statusOf('p1', 'm1') === 'DOWN', 1000 + MARGIN_MS);
  } finally {
    await tracker.close();
    await closeServer(backend);
  }
});

test('update keeps the state of unchanged members, restarts changed ones and drops removed ones', async () => {
  const tracker = newTracker();
  const backend = createServer((socket) => socket.destroy());
  const port = await listenOn(backend, '127.0.16.5');
  const refused = await closedPort('127.0.16.6');
  const down = member('down', '127.0.16.6', refused);
  const up = member('up', '127.0.16.5', port);
  try {
    tracker.update([pool('p1', [down, up], healthMonitor({ maxRetriesDown: 1 }))]);
    await waitFor(() => tracker.statusOf('p1', 'down') === 'DOWN', 1000 + MARGIN_MS);

    // Same document again, then new timing and thresholds of the same check: the state survives.
    tracker.update([pool('p1', [down, up], healthMonitor({ maxRetriesDown: 1 }))]);
    tracker.update([
      pool('p1', [up, down], healthMonitor({ delay: 2, timeout: 2, maxRetries: 5, maxRetriesDown: 3 })),
    ]);
    assert.equal(tracker.statusOf('p1', 'down'), 'DOWN');
    assert.equal(tracker.statusOf('p1', 'up'), 'UP');

    // A member whose check target changed is a new check, starting optimistic.
    const moved = member('down', '127.0.16.5', port);
    tracker.update([pool('p1', [moved, up], healthMonitor())]);
    assert.equal(tracker.statusOf('p1', 'down'), 'UP');

    tracker.update([pool('p1', [up], healthMonitor())]);
    assert.equal(tracker.statusOf('p1', 'down'), undefined);
    assert.equal(tracker.isUp('p1', 'down'), true);
    assert.equal(tracker.statusOf('p1', 'up'), 'UP');

    tracker.update([pool('p1', [up], null)]);
    assert.equal(tracker.statusOf('p1', 'up'), undefined);
  } finally {
    await tracker.close();
    await closeServer(backend);
  }
});

test('a PING monitor logs once why its checks cannot run when ping is not installed', async (context) => {
  const log: string[] = [];
  const tracker = newTracker(log);
  try {
    tracker.update([
      pool('p1', [member('m1', '127.0.16.7', 0)], healthMonitor({ type: 'PING', maxRetriesDown: 1 })),
    ]);
    await waitFor(() => log.length > 0 || tracker.statusOf('p1', 'm1') === 'DOWN', 1000 + MARGIN_MS).catch(
      () => 0,
    );
    if (!log.some((line) => line.includes('not installed'))) {
      context.skip('the system `ping` command is installed');
      return;
    }
    await waitFor(() => tracker.statusOf('p1', 'm1') === 'DOWN', 1000 + MARGIN_MS);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(log.filter((line) => line.includes('not installed')).length, 1);
  } finally {
    await tracker.close();
  }
});

test('close stops every check and leaves no timer behind', async () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
  const before = timers();
  const backend = createServer((socket) => socket.destroy());
  const port = await listenOn(backend, '127.0.16.8');
  const tracker = createHealthTracker([pool('p1', [member('m1', '127.0.16.8', port)], healthMonitor())]);
  assert.ok(timers() > before);
  await tracker.close();
  assert.equal(timers(), before);
  assert.equal(tracker.statusOf('p1', 'm1'), undefined);
  await closeServer(backend);
});

test("a re-encrypting pool's HTTP and TCP checks go over its TLS, so a member answering in plain is down", async () => {
  const tracker = newTracker();
  const backend = createHttpServer((_request, response) => response.end());
  const port = await listenOn(backend, '127.0.16.7');
  const material = { clientCertificate: null, ca: null, crl: null };
  const plain = pool(
    'p1',
    [member('m1', '127.0.16.7', port)],
    healthMonitor({ type: 'HTTP', maxRetriesDown: 1 }),
  );
  const reencrypting = { ...plain, id: 'p2', tls: { ...plain.tls, enabled: true, material } };
  const tcp = { ...reencrypting, id: 'p3', healthMonitor: healthMonitor({ type: 'TCP', maxRetriesDown: 1 }) };
  try {
    tracker.update([plain, reencrypting, tcp]);
    await waitFor(() => tracker.statusOf('p2', 'm1') === 'DOWN', 1000 + MARGIN_MS);
    await waitFor(() => tracker.statusOf('p3', 'm1') === 'DOWN', 1000 + MARGIN_MS);
    assert.equal(tracker.statusOf('p1', 'm1'), 'UP');
  } finally {
    await tracker.close();
    await closeServer(backend);
  }
});
