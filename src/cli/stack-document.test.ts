// Behaviour of the stack document: the example parses, its normal form survives a YAML round trip, defaults
// and blanks are dropped, and malformed stacks are refused with the object and field named.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { normaliseStack, parseStack, stringifyStack } from './stack-document.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/stack.yaml');

describe('stack documents', () => {
  it('reads the example stack and writes back the same normal form', () => {
    const stack = parseStack(fs.readFileSync(EXAMPLE, 'utf8'));
    const text = stringifyStack(stack);
    assert.deepEqual(parse(text), normaliseStack(stack));
    assert.equal(stringifyStack(parseStack(text)), text);
  });

  it('drops fields equal to Octavia defaults, blanks and null entries of nested mappings', () => {
    const stack = parseStack(
      [
        'loadbalancer:',
        '  name: a',
        '  description: ""',
        '  vip_subnet: s',
        '  admin_state_up: true',
        '  pools:',
        '    - name: p',
        '      protocol: HTTP',
        '      lb_algorithm: ROUND_ROBIN',
        '      session_persistence: {type: SOURCE_IP, cookie_name: null}',
        '      healthmonitor: {type: HTTP, delay: 1, timeout: 1, max_retries: 1, url_path: /, expected_codes: "200"}',
        '      members: [{address: 127.0.0.1, protocol_port: 80, weight: 1, backup: false}]',
      ].join('\n'),
    );
    assert.deepEqual(normaliseStack(stack), {
      loadbalancer: {
        name: 'a',
        vip_subnet: 's',
        pools: [
          {
            name: 'p',
            protocol: 'HTTP',
            lb_algorithm: 'ROUND_ROBIN',
            session_persistence: { type: 'SOURCE_IP' },
            members: [{ address: '127.0.0.1', protocol_port: 80 }],
            healthmonitor: { type: 'HTTP', delay: 1, timeout: 1, max_retries: 1 },
          },
        ],
      },
    });
  });

  it('orders listeners, pools, members and rules canonically but keeps policies in evaluation order', () => {
    const stack = parseStack(
      [
        'loadbalancer:',
        '  name: a',
        '  vip_subnet: s',
        '  listeners:',
        '    - {name: z, protocol: HTTP, protocol_port: 81, l7policies: [{name: p2, action: REJECT}, {name: p1, action: REJECT, rules: [{type: PATH, compare_type: REGEX, value: b}, {type: HOST_NAME, compare_type: EQUAL_TO, value: a}]}]}',
        '    - {name: b, protocol: HTTP, protocol_port: 80}',
        '  pools:',
        '    - {name: p, protocol: TCP, lb_algorithm: X, members: [{address: 127.0.0.10, protocol_port: 80}, {address: 127.0.0.9, protocol_port: 90}, {address: 127.0.0.9, protocol_port: 8}]}',
      ].join('\n'),
    );
    const lb = normaliseStack(stack).loadbalancer;
    const [first, second] = lb.listeners as Record<string, unknown>[];
    assert.deepEqual([first.name, second.name], ['b', 'z']);
    const policies = second.l7policies as Record<string, unknown>[];
    assert.deepEqual(
      policies.map((p) => p.name),
      ['p2', 'p1'],
    );
    assert.deepEqual(
      (policies[1].rules as Record<string, unknown>[]).map((r) => r.type),
      ['HOST_NAME', 'PATH'],
    );
    const members = (lb.pools as Record<string, unknown>[])[0].members as Record<string, unknown>[];
    assert.deepEqual(
      members.map((m) => `${m.address}:${m.protocol_port}`),
      ['127.0.0.9:8', '127.0.0.9:90', '127.0.0.10:80'],
    );
  });

  it('keeps HTTP-only health monitor defaults out of the way of a TCP monitor', () => {
    const stack = parseStack(
      'loadbalancer: {name: a, vip_subnet: s, pools: [{name: p, protocol: TCP, lb_algorithm: ROUND_ROBIN, healthmonitor: {type: TCP, delay: 1, timeout: 1, max_retries: 1, max_retries_down: 3}}]}',
    );
    const pool = (normaliseStack(stack).loadbalancer.pools as Record<string, unknown>[])[0];
    assert.deepEqual(pool.healthmonitor, { type: 'TCP', delay: 1, timeout: 1, max_retries: 1 });
  });

  it('names the object and field of each mistake', () => {
    const lb = (rest: string) => `loadbalancer: {name: a, vip_subnet: s, ${rest}}`;
    assert.throws(() => parseStack('pools: []'), {
      message: "stack: expected one top-level key, 'loadbalancer'",
    });
    assert.throws(() => parseStack(lb('colour: red')), { message: "loadbalancer a: unknown field 'colour'" });
    assert.throws(() => parseStack(lb('listeners: [{name: l, protocol: HTTP}]')), {
      message: "loadbalancer a: listener l: 'protocol_port' is required",
    });
    assert.throws(
      () =>
        parseStack(
          lb(
            'pools: [{name: p, protocol: HTTP, lb_algorithm: X}, {name: p, protocol: TCP, lb_algorithm: X}]',
          ),
        ),
      { message: 'loadbalancer a: two pools named p' },
    );
    assert.throws(
      () => parseStack(lb('listeners: [{name: l, protocol: HTTP, protocol_port: 80, default_pool: nope}]')),
      {
        message: 'listener l: no pool named nope in the stack',
      },
    );
    assert.throws(() => parseStack('loadbalancer: [1'), /^CliError: stack: /);
  });
});
