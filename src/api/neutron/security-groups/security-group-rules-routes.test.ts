// The security group rules API: creating rules with Neutron's normalisation (protocol names, legacy IPv6
// ICMP, full port range, prefixes), every validation fault with its exact message, duplicates, visibility
// and deletion, and the group revision a rule change bumps.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ADMIN,
  ALICE,
  ALICE_PROJECT,
  BOB,
  type NeutronFixture,
  neutronError,
  neutronFixture,
} from '../../../../test/helpers/neutron-fixture.ts';

type Body = Record<string, unknown>;

const PROTOCOLS =
  "(None, 'any', 'ah', 'dccp', 'egp', 'esp', 'gre', 'hopopt', 'icmp', 'igmp', 'ip', 'ipip', 'ipv6-encap', " +
  "'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', " +
  "'tcp', 'udp', 'udplite', 'vrrp')";

describe('Neutron security group rules API', () => {
  let f: NeutronFixture;
  let groupId: string;
  beforeEach(async () => {
    f = await neutronFixture();
    const created = await f.call('POST', '/v2.0/security-groups', ALICE, { security_group: { name: 'g' } });
    groupId = created.json().security_group.id;
  });
  afterEach(() => f.close());

  const post = (body: Body, token = ALICE) =>
    f.call('POST', '/v2.0/security-group-rules', token, {
      security_group_rule: { security_group_id: groupId, direction: 'ingress', ...body },
    });

  it('creates an ingress TCP rule exactly as Neutron shows it and bumps the group revision', async () => {
    const response = await post({
      protocol: 'TCP',
      port_range_min: '80',
      port_range_max: 443,
      remote_ip_prefix: '10.1.2.3/16',
      description: 'web',
    });
    assert.equal(response.statusCode, 201, response.body);
    const rule = response.json().security_group_rule;
    const { id, created_at, updated_at, ...rest } = rule;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(created_at, updated_at);
    assert.deepEqual(rest, {
      project_id: ALICE_PROJECT,
      tenant_id: ALICE_PROJECT,
      security_group_id: groupId,
      ethertype: 'IPv4',
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 80,
      port_range_max: 443,
      remote_ip_prefix: '10.1.2.3/16',
      remote_address_group_id: null,
      normalized_cidr: '10.1.0.0/16',
      remote_group_id: null,
      belongs_to_default_sg: false,
      description: 'web',
      revision_number: 0,
    });
    const shown = await f.call('GET', `/v2.0/security-group-rules/${id}`, ALICE);
    assert.deepEqual(shown.json(), { security_group_rule: rule });
    const group = (await f.call('GET', `/v2.0/security-groups/${groupId}`, ALICE)).json().security_group;
    assert.equal(group.revision_number, 1);
    assert.equal(group.security_group_rules.length, 3);
    const listed = await f.call(
      'GET',
      `/networking/v2.0/security-group-rules?security_group_id=${groupId}&direction=ingress&fields=id`,
      ALICE,
    );
    assert.deepEqual(listed.json(), { security_group_rules: [{ id }] });
  });

  it('normalises what Neutron normalises', async () => {
    const cases: [Body, Body][] = [
      [{ protocol: 'any' }, { protocol: null }],
      [
        { protocol: 6, port_range_min: 1, port_range_max: 65535 },
        { protocol: '6', port_range_min: null, port_range_max: null },
      ],
      [
        { ethertype: 'ipv6', protocol: 'icmp' },
        { ethertype: 'IPv6', protocol: 'ipv6-icmp' },
      ],
      [
        { ethertype: 'IPv6', protocol: '1', remote_ip_prefix: '2001:DB8::1' },
        { protocol: '58', remote_ip_prefix: '2001:db8::1/128', normalized_cidr: '2001:db8::1/128' },
      ],
      [
        { protocol: 'icmp', port_range_min: 8, port_range_max: 0, remote_ip_prefix: '' },
        { port_range_min: 8, port_range_max: 0, remote_ip_prefix: null },
      ],
      [
        { protocol: 'gre', remote_ip_prefix: '192.0.2.7' },
        { remote_ip_prefix: '192.0.2.7/32', normalized_cidr: '192.0.2.7/32' },
      ],
    ];
    for (const [body, expected] of cases) {
      const response = await post(body);
      assert.equal(response.statusCode, 201, `${JSON.stringify(body)}: ${response.body}`);
      const rule = response.json().security_group_rule;
      for (const [key, value] of Object.entries(expected))
        assert.deepEqual(rule[key], value, `${JSON.stringify(body)} ${key}`);
    }
  });

  it("refuses invalid rules with Neutron's types and messages, storing nothing", async () => {
    const cases: [Body, number, string, string][] = [
      [
        { direction: 'up' },
        400,
        'HTTPBadRequest',
        'Invalid input for direction. Reason: up is not in valid_values.',
      ],
      [
        { ethertype: 'IPv5' },
        400,
        'SecurityGroupRuleInvalidEtherType',
        "Security group rule for ethertype 'IPv5' not supported. Allowed values are ['IPv4', 'IPv6'].",
      ],
      [
        { protocol: 'foo' },
        400,
        'SecurityGroupRuleInvalidProtocol',
        `Security group rule protocol foo not supported. Only protocol values ${PROTOCOLS} and integer representations [0 to 255] are supported.`,
      ],
      [
        { protocol: 256 },
        400,
        'SecurityGroupRuleInvalidProtocol',
        `Security group rule protocol 256 not supported. Only protocol values ${PROTOCOLS} and integer representations [0 to 255] are supported.`,
      ],
      [
        { protocol: 'tcp', port_range_min: 70000 },
        400,
        'SecurityGroupInvalidPortValue',
        'Invalid value for port 70000',
      ],
      [
        { protocol: 'tcp', port_range_min: 'x' },
        400,
        'SecurityGroupInvalidPortValue',
        'Invalid value for port x',
      ],
      [
        { protocol: 'tcp', port_range_min: 0, port_range_max: 5 },
        400,
        'SecurityGroupInvalidPortValue',
        'Invalid value for port 0',
      ],
      [
        { protocol: 'tcp', port_range_min: 90, port_range_max: 80 },
        400,
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      ],
      [
        { protocol: 'udp', port_range_min: 53 },
        400,
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      ],
      [
        { port_range_min: 22, port_range_max: 22 },
        400,
        'SecurityGroupProtocolRequiredWithPorts',
        'Must also specify protocol if port range is given.',
      ],
      [
        { protocol: 'gre', port_range_min: 22, port_range_max: 22 },
        400,
        'SecurityGroupInvalidProtocolForPort',
        'Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.',
      ],
      [
        { protocol: 'icmp', port_range_min: 300 },
        400,
        'SecurityGroupInvalidIcmpValue',
        'Invalid value for ICMP type (port_range_min) 300. It must be 0 to 255.',
      ],
      [
        { protocol: 'icmp', port_range_max: 3 },
        400,
        'SecurityGroupMissingIcmpType',
        'ICMP code (port-range-max) 3 is provided but ICMP type (port-range-min) is missing.',
      ],
      [
        { remote_ip_prefix: '::/0' },
        400,
        'SecurityGroupRuleParameterConflict',
        'Conflicting value ethertype IPv4 for CIDR ::/0',
      ],
      [
        { remote_ip_prefix: '10.0.0.0/33' },
        400,
        'InvalidCIDR',
        'Invalid CIDR 10.0.0.0/33 given as IP prefix.',
      ],
      [
        { protocol: 'ipv6-icmp' },
        400,
        'SecurityGroupEthertypeConflictWithProtocol',
        'Invalid ethertype IPv4 for protocol ipv6-icmp.',
      ],
      [
        { remote_ip_prefix: '10.0.0.0/8', remote_group_id: 'GROUP' },
        400,
        'SecurityGroupMultipleRemoteEntites',
        'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
      ],
      [
        { remote_group_id: '7f0ee2d4-0b53-4a4b-8a43-1b3a7a9e8c11' },
        404,
        'SecurityGroupNotFound',
        'Security group 7f0ee2d4-0b53-4a4b-8a43-1b3a7a9e8c11 does not exist',
      ],
      [
        { security_group_id: '7f0ee2d4-0b53-4a4b-8a43-1b3a7a9e8c11' },
        404,
        'SecurityGroupNotFound',
        'Security group 7f0ee2d4-0b53-4a4b-8a43-1b3a7a9e8c11 does not exist',
      ],
      [{ bogus: true }, 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'bogus'"],
    ];
    for (const [raw, status, type, message] of cases) {
      const body = JSON.parse(JSON.stringify(raw).replace('GROUP', groupId));
      const response = await f.call('POST', '/v2.0/security-group-rules', ALICE, {
        security_group_rule: { security_group_id: groupId, direction: 'ingress', ...body },
      });
      assert.equal(response.statusCode, status, `${JSON.stringify(raw)}: ${response.body}`);
      const error = neutronError(response.body);
      assert.deepEqual([error.type, error.message], [type, message], JSON.stringify(raw));
    }
    const bare = await f.call('POST', '/v2.0/security-group-rules', ALICE, {
      security_group_rule: { security_group_id: groupId },
    });
    assert.deepEqual(
      [bare.statusCode, neutronError(bare.body).message],
      [400, "Failed to parse request. Required attribute 'direction' not specified"],
    );
    const group = (await f.call('GET', `/v2.0/security-groups/${groupId}`, ALICE)).json().security_group;
    assert.equal(group.security_group_rules.length, 2);
    assert.equal(group.revision_number, 0);
  });

  it('refuses a rule that matches an existing one, protocol names and numbers alike', async () => {
    const first = await post({ protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
    assert.equal(first.statusCode, 201, first.body);
    const same = await post({ protocol: '6', port_range_min: 22, port_range_max: 22 });
    assert.equal(same.statusCode, 409);
    assert.deepEqual(neutronError(same.body), {
      type: 'SecurityGroupRuleExists',
      message: `Security group rule already exists. Rule id is ${first.json().security_group_rule.id}.`,
      detail: '',
    });
    // The group's own default egress rule, and 0.0.0.0/0 as "any address".
    const egress = await post({ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' });
    assert.equal(neutronError(egress.body).type, 'SecurityGroupRuleExists');
  });

  it('admits a remote group of the same project and drops such rules with that group', async () => {
    const other = (
      await f.call('POST', '/v2.0/security-groups', ALICE, { security_group: { name: 'o' } })
    ).json().security_group.id;
    const rule = await post({ remote_group_id: other });
    assert.equal(rule.statusCode, 201, rule.body);
    assert.equal(rule.json().security_group_rule.remote_group_id, other);
    assert.equal((await f.call('DELETE', `/v2.0/security-groups/${other}`, ALICE)).statusCode, 204);
    const gone = await f.call(
      'GET',
      `/v2.0/security-group-rules/${rule.json().security_group_rule.id}`,
      ALICE,
    );
    assert.equal(gone.statusCode, 404);
  });

  it('hides rules from other projects, lets the owner delete them, and answers 404 afterwards', async () => {
    const rule = (await post({ protocol: 'udp', port_range_min: 53, port_range_max: 53 })).json()
      .security_group_rule;
    const path = `/v2.0/security-group-rules/${rule.id}`;
    for (const method of ['GET', 'DELETE'] as const) {
      const hidden = await f.call(method, path, BOB);
      assert.equal(hidden.statusCode, 404);
      assert.deepEqual(neutronError(hidden.body), {
        type: 'SecurityGroupRuleNotFound',
        message: `Security group rule ${rule.id} does not exist`,
        detail: '',
      });
    }
    const bobsList = (await f.call('GET', '/v2.0/security-group-rules', BOB)).json().security_group_rules;
    assert.ok(bobsList.every((r: Body) => r.project_id === 'project-bob'));
    assert.equal(bobsList.length, 4, 'bob sees the four rules of his own default group');
    const intoAlice = await post({ protocol: 'tcp' }, BOB);
    assert.equal(neutronError(intoAlice.body).type, 'SecurityGroupNotFound');
    const adminSees = await f.call('GET', path, ADMIN);
    assert.equal(adminSees.statusCode, 200);
    assert.equal((await f.call('DELETE', path, ALICE)).statusCode, 204);
    assert.equal((await f.call('DELETE', path, ALICE)).statusCode, 404);
    const group = (await f.call('GET', `/v2.0/security-groups/${groupId}`, ALICE)).json().security_group;
    assert.equal(group.revision_number, 2);
  });
});
