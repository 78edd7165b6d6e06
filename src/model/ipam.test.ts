// Address math of IPAM: parsing, canonical text, containment, Neutron's default gateway and pools, pool
// validation and the next-free-address search.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrContains,
  cidrsOverlap,
  defaultAllocationPools,
  defaultGateway,
  isHostAddress,
  nextFreeAddress,
  normalizeCidr,
  normalizeIp,
  parseCidr,
  validatePools,
} from './ipam.ts';

const cidr = (text: string) => parseCidr(text)!;

describe('IPAM address math', () => {
  it('parses IPv4 and IPv6 addresses into canonical text', () => {
    assert.equal(normalizeIp('127.77.0.5'), '127.77.0.5');
    assert.equal(normalizeIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(normalizeIp('2001:db8:0:1:0:0:0:0'), '2001:db8:0:1::');
    assert.equal(normalizeIp('::'), '::');
    assert.equal(normalizeIp('::ffff:1.2.3.4'), '::ffff:102:304');
    assert.equal(normalizeIp('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
    assert.equal(normalizeIp('1:2:3:4:5:6:0:8'), '1:2:3:4:5:6:0:8', 'a single zero group is not compressed');
  });

  it('refuses malformed addresses, including octal-looking IPv4 parts', () => {
    for (const text of [
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      'a.b.c.d',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '',
    ]) {
      assert.equal(normalizeIp(text), undefined, text);
    }
  });

  it('parses a CIDR and clears its host bits, and refuses one without a prefix', () => {
    assert.equal(normalizeCidr('10.0.0.5/24'), '10.0.0.0/24');
    assert.equal(normalizeCidr('2001:db8::1/64'), '2001:db8::/64');
    assert.equal(normalizeCidr('10.0.0.0'), undefined);
    assert.equal(normalizeCidr('10.0.0.0/33'), undefined);
    assert.equal(normalizeCidr('x'), undefined);
  });

  it('tells containment and overlap, never across IP versions', () => {
    assert.equal(cidrContains(cidr('127.77.0.0/16'), '127.77.255.255'), true);
    assert.equal(cidrContains('127.77.0.0/16', '127.78.0.0'), false);
    assert.equal(cidrContains('::/0', '1.2.3.4'), false);
    assert.equal(cidrsOverlap(cidr('10.0.0.0/16'), cidr('10.0.5.0/24')), true);
    assert.equal(cidrsOverlap(cidr('10.0.0.0/24'), cidr('10.0.1.0/24')), false);
  });

  it('does not let a port hold the network or IPv4 broadcast address', () => {
    const net = cidr('10.0.0.0/24');
    assert.equal(isHostAddress(net, { version: 4, value: 0x0a000000n }), false);
    assert.equal(isHostAddress(net, { version: 4, value: 0x0a0000ffn }), false);
    assert.equal(isHostAddress(net, { version: 4, value: 0x0a000001n }), true);
    assert.equal(
      isHostAddress(cidr('2001:db8::/64'), { version: 6, value: (0x20010db8n << 96n) | 0xffffn }),
      true,
    );
  });
});

describe('IPAM defaults', () => {
  it('takes the first host as gateway and the rest of the usable range as the pool', () => {
    const net = cidr('127.77.0.0/16');
    assert.equal(defaultGateway(net), '127.77.0.1');
    assert.deepEqual(defaultAllocationPools(net, '127.77.0.1'), [
      { start: '127.77.0.2', end: '127.77.255.254' },
    ]);
  });

  it('keeps the last IPv6 address in the pool, since IPv6 has no broadcast', () => {
    const net = cidr('2001:db8::/120');
    assert.equal(defaultGateway(net), '2001:db8::1');
    assert.deepEqual(defaultAllocationPools(net, '2001:db8::1'), [
      { start: '2001:db8::2', end: '2001:db8::ff' },
    ]);
  });

  it('splits the pool around a gateway in the middle and uses the whole range without one', () => {
    const net = cidr('10.0.0.0/29');
    assert.deepEqual(defaultAllocationPools(net, '10.0.0.3'), [
      { start: '10.0.0.1', end: '10.0.0.2' },
      { start: '10.0.0.4', end: '10.0.0.6' },
    ]);
    assert.deepEqual(defaultAllocationPools(net, null), [{ start: '10.0.0.1', end: '10.0.0.6' }]);
  });

  it('gives a /31 neither gateway nor pool, and a /32 its single address', () => {
    assert.equal(defaultGateway(cidr('10.0.0.0/31')), null);
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.0/31'), null), []);
    assert.deepEqual(defaultAllocationPools(cidr('10.0.0.7/32'), null), [
      { start: '10.0.0.7', end: '10.0.0.7' },
    ]);
  });
});

describe('IPAM pool validation', () => {
  const net = cidr('10.0.0.0/24');

  it('accepts disjoint pools inside the usable range that avoid the gateway', () => {
    const pools = [
      { start: '10.0.0.10', end: '10.0.0.20' },
      { start: '10.0.0.30', end: '10.0.0.254' },
    ];
    assert.equal(validatePools(net, pools, '10.0.0.1'), undefined);
  });

  it('reports a reversed or foreign-version pool as invalid', () => {
    assert.equal(validatePools(net, [{ start: '10.0.0.9', end: '10.0.0.2' }], null)?.kind, 'invalid');
    assert.equal(validatePools(net, [{ start: '::1', end: '::2' }], null)?.kind, 'invalid');
  });

  it('reports a pool reaching the network or broadcast address as out of bounds', () => {
    assert.equal(validatePools(net, [{ start: '10.0.0.0', end: '10.0.0.9' }], null)?.kind, 'out-of-bounds');
    assert.equal(validatePools(net, [{ start: '10.0.0.9', end: '10.0.0.255' }], null)?.kind, 'out-of-bounds');
    assert.equal(validatePools(net, [{ start: '10.0.1.1', end: '10.0.1.9' }], null)?.kind, 'out-of-bounds');
  });

  it('reports overlapping pools and a pool that contains the gateway', () => {
    const overlap = validatePools(
      net,
      [
        { start: '10.0.0.2', end: '10.0.0.50' },
        { start: '10.0.0.40', end: '10.0.0.60' },
      ],
      null,
    );
    assert.deepEqual(overlap, { kind: 'overlap', pool: '10.0.0.2-10.0.0.50', other: '10.0.0.40-10.0.0.60' });
    const gateway = validatePools(net, [{ start: '10.0.0.1', end: '10.0.0.9' }], '10.0.0.5');
    assert.deepEqual(gateway, { kind: 'gateway-conflict', pool: '10.0.0.1-10.0.0.9' });
  });
});

describe('IPAM next free address', () => {
  const pools = [
    { start: '10.0.0.2', end: '10.0.0.4' },
    { start: '10.0.0.10', end: '10.0.0.10' },
  ];

  it('hands out the lowest free address of the first pool that has one', () => {
    assert.equal(nextFreeAddress(pools, new Set()), '10.0.0.2');
    assert.equal(nextFreeAddress(pools, new Set(['10.0.0.2'])), '10.0.0.3');
    assert.equal(nextFreeAddress(pools, new Set(['10.0.0.2', '10.0.0.3', '10.0.0.4'])), '10.0.0.10');
  });

  it('reuses a freed address before moving further up', () => {
    assert.equal(nextFreeAddress(pools, new Set(['10.0.0.2', '10.0.0.4'])), '10.0.0.3');
  });

  it('answers undefined when every pool is full', () => {
    assert.equal(
      nextFreeAddress(pools, new Set(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.10'])),
      undefined,
    );
  });

  it('walks huge IPv6 pools without enumerating them', () => {
    const v6 = [{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }];
    assert.equal(nextFreeAddress(v6, new Set(['2001:db8::2'])), '2001:db8::3');
  });
});
