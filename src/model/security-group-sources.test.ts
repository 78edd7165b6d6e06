import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecurityGroupRule } from './security-group.ts';
import { admittedSources, transportOf } from './security-group-sources.ts';

function rule(overrides: Partial<SecurityGroupRule>): SecurityGroupRule {
  return {
    id: 'r',
    securityGroupId: 'g',
    projectId: 'p',
    direction: 'ingress',
    ethertype: 'IPv4',
    protocol: null,
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    remoteGroupId: null,
    description: '',
    revisionNumber: 0,
    createdAt: '',
    updatedAt: '',
    ...overrides,
  };
}

const HTTP_80 = { protocol: 'HTTP', protocolPort: 80 } as const;
const none = new Map<string, string[]>();

describe('admittedSources', () => {
  const cases: [string, Partial<SecurityGroupRule>, { protocol: string; protocolPort: number }, string[]][] =
    [
      ['a rule without protocol, port or remote admits the whole IPv4 family', {}, HTTP_80, ['0.0.0.0/0']],
      ['an IPv6 rule without remote admits ::/0', { ethertype: 'IPv6' }, HTTP_80, ['::/0']],
      ['a remote prefix is admitted as given', { remoteIpPrefix: '127.0.0.0/8' }, HTTP_80, ['127.0.0.0/8']],
      ['egress rules admit nothing', { direction: 'egress' }, HTTP_80, []],
      ['tcp by name matches an HTTP listener', { protocol: 'tcp' }, HTTP_80, ['0.0.0.0/0']],
      [
        'tcp by IANA number 6 matches a TERMINATED_HTTPS listener',
        { protocol: '6' },
        { protocol: 'TERMINATED_HTTPS', protocolPort: 443 },
        ['0.0.0.0/0'],
      ],
      [
        '"any" matches every protocol',
        { protocol: 'any' },
        { protocol: 'SCTP', protocolPort: 9 },
        ['0.0.0.0/0'],
      ],
      ['udp does not match a TCP listener', { protocol: 'udp' }, { protocol: 'TCP', protocolPort: 80 }, []],
      [
        'udp (17) matches a UDP listener',
        { protocol: '17' },
        { protocol: 'UDP', protocolPort: 53 },
        ['0.0.0.0/0'],
      ],
      ['tcp does not match a UDP listener', { protocol: 'tcp' }, { protocol: 'UDP', protocolPort: 53 }, []],
      [
        'sctp by name and number matches an SCTP listener',
        { protocol: '132' },
        { protocol: 'SCTP', protocolPort: 9 },
        ['0.0.0.0/0'],
      ],
      ['icmp matches no listener', { protocol: 'icmp' }, HTTP_80, []],
      [
        'a port range containing the listener port matches',
        { protocol: 'tcp', portRangeMin: 79, portRangeMax: 81 },
        HTTP_80,
        ['0.0.0.0/0'],
      ],
      [
        'a port range ending below the listener port does not',
        { protocol: 'tcp', portRangeMin: 70, portRangeMax: 79 },
        HTTP_80,
        [],
      ],
      [
        'a port range starting above the listener port does not',
        { protocol: 'tcp', portRangeMin: 81, portRangeMax: 90 },
        HTTP_80,
        [],
      ],
      [
        'a single port equal to the listener port matches',
        { protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 },
        HTTP_80,
        ['0.0.0.0/0'],
      ],
      [
        'a prefix of the other family than the ethertype admits nothing',
        { ethertype: 'IPv6', remoteIpPrefix: '10.0.0.0/8' },
        HTTP_80,
        [],
      ],
    ];
  for (const [name, overrides, target, expected] of cases) {
    it(name, () => assert.deepEqual(admittedSources([rule(overrides)], target, none), expected));
  }

  it('admits the addresses of the remote group’s ports of the rule’s ethertype', () => {
    const groups = new Map([['other', ['127.0.0.7', '2001:db8::7', '127.0.0.8']]]);
    assert.deepEqual(admittedSources([rule({ remoteGroupId: 'other' })], HTTP_80, groups), [
      '127.0.0.7',
      '127.0.0.8',
    ]);
    assert.deepEqual(
      admittedSources([rule({ remoteGroupId: 'other', ethertype: 'IPv6' })], HTTP_80, groups),
      ['2001:db8::7'],
    );
  });

  it('admits nobody through a remote group without ports', () => {
    assert.deepEqual(admittedSources([rule({ remoteGroupId: 'empty' })], HTTP_80, none), []);
  });

  it('takes the union of the matching rules without repeats, in rule order', () => {
    const rules = [
      rule({ remoteIpPrefix: '127.0.1.0/24', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 }),
      rule({ remoteIpPrefix: '127.0.2.0/24', protocol: 'udp' }),
      rule({ remoteIpPrefix: '127.0.3.0/24' }),
      rule({ remoteIpPrefix: '127.0.1.0/24' }),
    ];
    assert.deepEqual(admittedSources(rules, HTTP_80, none), ['127.0.1.0/24', '127.0.3.0/24']);
  });

  it('admits nobody when no rule is given', () => {
    assert.deepEqual(admittedSources([], HTTP_80, none), []);
  });
});

describe('transportOf', () => {
  it('rides every listener protocol but UDP and SCTP on TCP', () => {
    for (const p of ['HTTP', 'HTTPS', 'TERMINATED_HTTPS', 'TCP', 'PROMETHEUS'])
      assert.equal(transportOf(p), 'tcp');
    assert.equal(transportOf('UDP'), 'udp');
    assert.equal(transportOf('SCTP'), 'sctp');
  });
});
