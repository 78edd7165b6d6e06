// The `sluice` operator CLI (bin/sluice.js as a child process) against a real `sluice serve`, logged in from
// nothing but the admin-openrc serve writes: CRUD with --wait on every resource, status, apply and export.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { normaliseStack, parseStack, stringifyStack } from '../../src/cli/stack-document.ts';
import { freePort, issueToken, type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { adminOpenrcEnv, runSluice } from '../helpers/sluice-cli.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/stack.yaml');

let server: ServeProcess;
let env: NodeJS.ProcessEnv;
let workDir: string;

/** Runs `sluice …` with the admin-openrc environment (and `extra`), in a directory without clouds.yaml. */
const sluice = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runSluice(args, { ...env, ...extra }, workDir);

/** `sluice …` that must succeed; its stdout. */
async function ok(...args: string[]): Promise<string> {
  const result = await sluice(args);
  assert.equal(result.code, 0, `sluice ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A command line without quoting needs: its words. */
const words = (line: string) => line.split(' ');

const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json'));

let token: string | undefined;

/** GET under /v2/lbaas straight from the API (no CLI), to check what the CLI did. */
async function apiGet(
  p: string,
): Promise<Record<string, Record<string, unknown>[] & Record<string, unknown>>> {
  token ??= await issueToken(server.url, env.OS_PASSWORD!);
  const response = await fetch(`${server.url}/load-balancer/v2/lbaas${p}`, {
    headers: { 'x-auth-token': token },
  });
  assert.equal(response.status, 200, `GET ${p}`);
  return (await response.json()) as Record<string, Record<string, unknown>[] & Record<string, unknown>>;
}

/** The updated_at of every load balancer and every object under them, read over the API. */
async function updatedAts(): Promise<Record<string, unknown>> {
  const stamps: Record<string, unknown> = {};
  for (const kind of ['loadbalancers', 'listeners', 'pools', 'healthmonitors', 'l7policies']) {
    for (const o of (await apiGet(`/${kind}`))[kind])
      stamps[`${kind} ${o.id}`] = [o.updated_at, o.provisioning_status];
  }
  for (const pool of (await apiGet('/pools')).pools) {
    for (const m of (await apiGet(`/pools/${pool.id}/members`)).members)
      stamps[`member ${m.id}`] = m.updated_at;
  }
  for (const policy of (await apiGet('/l7policies')).l7policies) {
    for (const r of (await apiGet(`/l7policies/${policy.id}/rules`)).rules)
      stamps[`rule ${r.id}`] = r.updated_at;
  }
  return stamps;
}

describe('the sluice CLI against sluice serve', () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_PROVIDER: 'noop' } });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-'));
    env = await adminOpenrcEnv(server.dataDir, workDir);
  });
  after(async () => {
    await server?.stop();
  });

  it('logs in from admin-openrc alone, and reports a bad password, a missing variable and a dead endpoint in one line', async () => {
    const closed = await freePort();
    // Independent reads: run side by side to keep the file short.
    const [listed, denied, missing, dead] = await Promise.all([
      json('lb', 'list'),
      sluice(['lb', 'list'], { OS_PASSWORD: 'wrong' }),
      sluice(['lb', 'list'], { OS_AUTH_URL: '' }),
      sluice(['lb', 'list'], { OS_AUTH_URL: `http://127.0.0.1:${closed}/v3` }),
    ]);
    assert.equal(listed.length, 0);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^sluice: authentication failed at .*\(HTTP 401\)\n$/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^sluice: OS_AUTH_URL is not set/);
    assert.equal(dead.code, 1);
    assert.equal(dead.stderr, `sluice: cannot reach http://127.0.0.1:${closed}: ECONNREFUSED\n`);
  });

  it('creates, shows, lists, sets and deletes every resource with --wait, by name', async () => {
    const lb = await json(...words('lb create --name crud --vip-subnet-id public-subnet --wait'));
    assert.equal(lb.provisioning_status, 'ACTIVE');
    assert.match(lb.vip_address, /^127\.77\./);
    const listener = await json(
      ...words('listener create crud --name http --protocol HTTP --protocol-port 18080 --wait'),
    );
    assert.equal(listener.provisioning_status, 'ACTIVE');
    const pool = await json(
      ...words(
        'pool create --loadbalancer crud --name web --protocol HTTP --lb-algorithm ROUND_ROBIN --wait',
      ),
    );
    assert.equal(pool.lb_algorithm, 'ROUND_ROBIN');
    const created = await sluice(
      words('member create web --name m1 --address 127.0.0.1 --protocol-port 18081 --wait'),
    );
    assert.equal(created.code, 0, created.stderr);
    // Not a terminal: one progress line per state, on stderr, never mixed into stdout.
    assert.match(created.stderr, new RegExp(`^load balancer ${lb.id}: ACTIVE$`, 'm'));
    assert.match(created.stdout, /^provisioning_status +ACTIVE$/m);
    const hm = await json(
      ...words('healthmonitor create web --type HTTP --delay 5 --timeout 3 --max-retries 2 --wait'),
    );
    assert.equal(hm.url_path, '/');
    const policy = await json(
      ...words('l7policy create http --name api --action REDIRECT_TO_POOL --redirect-pool web --wait'),
    );
    assert.equal(policy.redirect_pool_id, pool.id);
    const rule = await json(
      ...words('l7rule create api --type PATH --compare-type STARTS_WITH --value /api --wait'),
    );
    assert.equal(rule.value, '/api');

    await ok(...words('lb set crud --description changed --wait'));
    await ok(...words('listener set http --default-pool web --connection-limit 10 --wait'));
    await ok(...words('pool set web --lb-algorithm LEAST_CONNECTIONS --wait'));
    await ok(...words('member set web m1 --weight 5 --disable --wait'));
    await ok(...words(`healthmonitor set ${hm.id} --delay 7 --wait`));
    await ok(...words('l7policy set api --name api2 --wait'));
    await ok(...words(`l7rule set api2 ${rule.id} --value /v2 --invert --wait`));
    assert.equal((await apiGet(`/loadbalancers/${lb.id}`)).loadbalancer.description, 'changed');
    const shownListener = (await apiGet(`/listeners/${listener.id}`)).listener;
    assert.deepEqual([shownListener.default_pool_id, shownListener.connection_limit], [pool.id, 10]);
    assert.equal((await apiGet(`/pools/${pool.id}`)).pool.lb_algorithm, 'LEAST_CONNECTIONS');
    const [member, rules, table] = await Promise.all([
      json('member', 'show', 'web', 'm1'),
      json('l7rule', 'list', 'api2'),
      ok('member', 'list', 'web'),
    ]);
    assert.deepEqual([member.weight, member.admin_state_up], [5, false]);
    assert.equal((await apiGet(`/healthmonitors/${hm.id}`)).healthmonitor.delay, 7);
    assert.equal((await apiGet(`/l7policies/${policy.id}`)).l7policy.name, 'api2');
    assert.deepEqual([rules[0].value, rules[0].invert], ['/v2', true]);
    assert.match(table.split('\n')[0], /^id +name +address +protocol_port +weight/);
    assert.match(table, /m1 +127\.0\.0\.1 +18081 +5 /);

    // The API's own message, exit status 1.
    const clash = await sluice(words('listener create crud --protocol HTTP --protocol-port 18080'));
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /already using protocol HTTP and protocol_port 18080 \(HTTP 409\)\n$/);

    await ok('l7rule', 'delete', 'api2', rule.id, '--wait');
    await ok('l7policy', 'delete', 'api2', '--wait');
    await ok('healthmonitor', 'delete', hm.id, '--wait');
    await ok('member', 'delete', 'web', 'm1', '--wait');
    await ok('listener', 'delete', 'http', '--wait');
    await ok('pool', 'delete', 'web', '--wait');
    assert.equal((await apiGet(`/loadbalancers/${lb.id}`)).loadbalancer.provisioning_status, 'ACTIVE');
    await ok('lb', 'delete', 'crud', '--wait');
    const gone = await sluice(['lb', 'show', 'crud']);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, "sluice: No load balancer with a name or ID of 'crud' exists.\n");
  });

  it('applies the example stack, shows its status, exports it back, and a second apply writes nothing', async () => {
    const applied = await ok('apply', '-f', EXAMPLE);
    assert.match(applied, /^\+ create load balancer shop$/m);
    assert.match(
      applied,
      /^\+ create L7 rule HOST_NAME EQUAL_TO "old.example.com" of L7 policy old-site of listener http$/m,
    );

    const [status, coloured, exported] = await Promise.all([
      ok('status', 'shop'),
      ok('status', 'shop', '--color'),
      ok('export', 'shop'),
    ]);
    assert.match(status, /^loadbalancer shop \(.*\) {2}ACTIVE \/ /);
    assert.match(status, /^ {4}│ {3}├── healthmonitor .* HTTP {2}ACTIVE \/ /m);
    assert.match(status, /^ {4}│ {3}└── member web-2 \(.*\) 127\.0\.0\.1:8082 {2}ACTIVE \/ /m);
    assert.ok(!status.includes('\x1b'), 'no colours in a pipe');
    assert.ok(coloured.includes('\x1b[32mACTIVE\x1b[0m'));

    const file = parseStack(fs.readFileSync(EXAMPLE, 'utf8'));
    assert.equal(exported, stringifyStack(file));
    assert.deepEqual(parse(exported), normaliseStack(file));

    const before = await updatedAts();
    assert.equal(await ok('apply', '-f', EXAMPLE), 'no changes\n');
    const exportFile = path.join(workDir, 'exported.yaml');
    fs.writeFileSync(exportFile, exported);
    assert.equal(await ok('apply', '-f', exportFile), 'no changes\n');
    assert.deepEqual(await updatedAts(), before);
  });

  it('converges a changed stack with only the differing writes, then reports no changes', async () => {
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace('weight: 2', 'weight: 3')
      .replace(/ {8}- name: old-site[\s\S]*?value: old\.example\.com\n/, '');
    const changed = path.join(workDir, 'changed.yaml');
    fs.writeFileSync(changed, text);
    const plan = [
      '~ update member 127.0.0.1:8082 of pool web: weight: 2 → 3',
      '- delete L7 policy old-site of listener http',
      '2 changes',
      '',
    ].join('\n');
    // --dry-run writes nothing: the real apply after it still has the whole plan to do.
    assert.equal(await ok('apply', '-f', changed, '--dry-run'), plan);
    assert.equal(await ok('apply', '-f', changed), plan);
    assert.equal(await ok('apply', '-f', changed), 'no changes\n');
    assert.equal(await ok('export', 'shop'), stringifyStack(parseStack(text)));
  });

  it('refuses an ambiguous name', async () => {
    await ok('lb', 'create', '--name', 'shop', '--vip-subnet-id', 'public-subnet');
    const result = await sluice(['status', 'shop']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "sluice: More than one load balancer exists with the name 'shop'.\n");
  });
});
