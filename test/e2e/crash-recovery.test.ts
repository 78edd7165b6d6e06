// Kill -9 of `sluice serve` while it writes loses no committed object: every load balancer the API answered
// 201 for is there after a restart, and the restarted controller converges the pending ones to ACTIVE. Runs
// on the SQLite default and, when SLUICE_TEST_DATABASE_URL is set, on a fresh PostgreSQL schema.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { issueToken, type ServeProcess, startServe, tempDataDir } from '../helpers/serve-process.ts';
import { freshPostgresSchema } from '../helpers/store-dialects.ts';

const PASSWORD = 'crash-test-password';
let server: ServeProcess | undefined;

const postgresUrl = process.env.SLUICE_TEST_DATABASE_URL;

describe('crash recovery', () => {
  after(async () => {
    await server?.stop('SIGKILL');
  });

  it('keeps every acknowledged load balancer across a kill -9 and converges it after restart (SQLite)', async () => {
    await crashAndRecover({});
  });

  it('keeps every acknowledged load balancer across a kill -9 and converges it after restart (PostgreSQL)', {
    skip: postgresUrl ? false : 'SLUICE_TEST_DATABASE_URL is not set',
  }, async () => {
    const schema = await freshPostgresSchema(postgresUrl!);
    try {
      await crashAndRecover({ SLUICE_DATABASE_URL: schema.url });
    } finally {
      await server?.stop('SIGKILL');
      await schema.drop();
    }
  });
});

async function crashAndRecover(store: Record<string, string>): Promise<void> {
  try {
    const dataDir = tempDataDir();
    const env = { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop', ...store };
    server = await startServe({ dataDir, env });
    const token = await issueToken(server.url, PASSWORD);
    const subnets = await (
      await fetch(`${server.url}/v2.0/subnets?name=public-subnet`, { headers: { 'x-auth-token': token } })
    ).json();
    const subnetId = subnets.subnets[0].id;

    const acknowledged: string[] = [];
    const create = async () => {
      const response = await fetch(`${server!.url}/v2/lbaas/loadbalancers`, {
        method: 'POST',
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ loadbalancer: { vip_subnet_id: subnetId } }),
      });
      if (response.status === 201) acknowledged.push((await response.json()).loadbalancer.id);
    };
    // Bounded load: 4 concurrent writers, at most 200 requests, killed after the 30th acknowledgement.
    let sent = 0;
    const writer = async () => {
      while (sent < 200 && server!.child.exitCode === null && server!.child.signalCode === null) {
        sent += 1;
        await create().catch(() => {});
        if (acknowledged.length >= 30) server!.child.kill('SIGKILL');
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    await server.stop('SIGKILL');
    assert.ok(acknowledged.length >= 30, `only ${acknowledged.length} creates were acknowledged`);

    server = await startServe({ dataDir, env });
    const token2 = await issueToken(server.url, PASSWORD);
    const deadline = Date.now() + 20_000;
    let listed: { id: string; provisioning_status: string }[] = [];
    do {
      const body = await (
        await fetch(`${server.url}/v2/lbaas/loadbalancers`, { headers: { 'x-auth-token': token2 } })
      ).json();
      listed = body.loadbalancers;
      if (listed.every((lb) => lb.provisioning_status === 'ACTIVE')) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    const ids = new Set(listed.map((lb) => lb.id));
    assert.deepEqual(
      acknowledged.filter((id) => !ids.has(id)),
      [],
      'acknowledged load balancers were lost',
    );
    assert.deepEqual(
      listed.filter((lb) => lb.provisioning_status !== 'ACTIVE'),
      [],
      'some stayed pending',
    );
  } finally {
    // Each run stops the server it restarted, so no child outlives the test file.
    await server?.stop('SIGKILL');
    server = undefined;
  }
}
