// Behaviour of argument parsing: the real commander program with the CLI's commands, its dispatch captured,
// and the option → Octavia field conversion (integers, switches, references left for resolution).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { type CliRequest, registerCliCommands } from './cli-commands.ts';
import { CliError } from './cli-error.ts';
import { requestFields } from './request-fields.ts';
import { KINDS } from './resource-kinds.ts';

async function parse(...argv: string[]): Promise<CliRequest> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let seen: CliRequest | undefined;
  registerCliCommands(program, async (request) => {
    seen = request;
  });
  await program.parseAsync(argv, { from: 'user' });
  assert.ok(seen, `no command ran for ${argv.join(' ')}`);
  return seen;
}

describe('sluice CLI arguments', () => {
  it('parses a listener create with its load balancer, typed fields and --wait', async () => {
    const request = await parse(
      'listener',
      'create',
      'web-lb',
      '--name',
      'http',
      '--protocol',
      'HTTP',
      '--protocol-port',
      '80',
      '--default-pool',
      'web',
      '--disable',
      '--wait',
      '-o',
      'json',
    );
    assert.equal(request.command, 'resource');
    if (request.command !== 'resource') return;
    assert.deepEqual([request.kind, request.verb, request.args], ['listener', 'create', ['web-lb']]);
    assert.equal(request.options.wait, true);
    assert.equal(request.options.output, 'json');
    assert.deepEqual(requestFields(KINDS.listener, 'create', request.options), {
      name: 'http',
      protocol: 'HTTP',
      protocol_port: 80,
      default_pool_id: 'web',
      admin_state_up: false,
    });
  });

  it('takes the pool first for members and the policy first for rules', async () => {
    const member = await parse('member', 'set', 'web', 'm1', '--weight', '3', '--enable-backup');
    assert.ok(member.command === 'resource');
    assert.deepEqual(member.args, ['web', 'm1']);
    assert.deepEqual(requestFields(KINDS.member, 'set', member.options), { weight: 3, backup: true });
    const rule = await parse('l7rule', 'set', 'api', 'r1', '--no-invert', '--value', '/v2');
    assert.ok(rule.command === 'resource');
    assert.deepEqual(requestFields(KINDS.l7rule, 'set', rule.options), { value: '/v2', invert: false });
    const list = await parse('member', 'list', 'web');
    assert.ok(list.command === 'resource' && list.verb === 'list');
    assert.deepEqual(list.args, ['web']);
  });

  it('refuses a create without its required options and options create does not offer on set', async () => {
    await assert.rejects(parse('pool', 'create', '--name', 'p', '--protocol', 'HTTP'), /--lb-algorithm/);
    await assert.rejects(parse('listener', 'set', 'http', '--protocol-port', '81'), /unknown option/);
  });

  it('rejects a non-integer port and contradictory switches with one-line errors', () => {
    assert.throws(() => requestFields(KINDS.member, 'create', { protocolPort: '8o' }), {
      message: "--protocol-port expects an integer, got '8o'",
    });
    assert.throws(
      () => requestFields(KINDS.member, 'set', { enable: true, disable: true }),
      (error) => error instanceof CliError && error.message === '--enable and --disable exclude each other',
    );
  });

  it('parses status, apply and export', async () => {
    assert.deepEqual(await parse('status', 'web-lb', '--color'), {
      command: 'status',
      lb: 'web-lb',
      options: { color: true, output: 'tree' },
    });
    assert.deepEqual(await parse('apply', '-f', 'stack.yaml', '--dry-run'), {
      command: 'apply',
      options: { file: 'stack.yaml', dryRun: true },
    });
    const exported = await parse('export', 'web-lb');
    assert.ok(exported.command === 'export' && exported.lb === 'web-lb');
  });
});
