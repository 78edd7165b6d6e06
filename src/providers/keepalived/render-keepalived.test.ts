// Golden files for the keepalived renderer (test/golden/keepalived/<case>.conf; SLUICE_UPDATE_GOLDEN=1 rewrites
// them), each checked by `keepalived -t`, plus the layout rules and the injection refusals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { VrrpGroup, VrrpHostLayout } from '../../model/vrrp.ts';
import { GOLDEN_FILES, GOLDEN_LAYOUTS } from './keepalived-golden-cases.ts';
import { keepalivedCheck, skipWithoutKeepalived } from './keepalived-test-fixtures.ts';
import { RenderRefusal } from './keepalived-words.ts';
import { renderKeepalivedConfig } from './render-keepalived.ts';

const GOLDEN_DIR = path.resolve(import.meta.dirname, '../../../test/golden/keepalived');
const render = (name: string) => renderKeepalivedConfig(GOLDEN_LAYOUTS[name], GOLDEN_FILES);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-keepalived-render-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The golden check program lives only on an agent host; keepalived -t says so and nothing else may appear. */
const complaintsBesidesMissingCheck = (lines: string[]) =>
  lines.filter((line) => !/^Disabling track script sluice_dataplane since not found\/accessible$/.test(line));

describe('keepalived renderer golden files', () => {
  for (const name of Object.keys(GOLDEN_LAYOUTS)) {
    const file = path.join(GOLDEN_DIR, `${name}.conf`);
    it(`renders the ${name} layout exactly as ${name}.conf`, () => {
      if (process.env.SLUICE_UPDATE_GOLDEN === '1') fs.writeFileSync(file, render(name));
      assert.equal(render(name), fs.readFileSync(file, 'utf8'));
    });
    it(`has keepalived -t accept ${name}.conf without complaint`, { skip: skipWithoutKeepalived }, () => {
      assert.deepEqual(complaintsBesidesMissingCheck(keepalivedCheck(file).complaints), []);
    });
  }

  it('passes keepalived -t with exit 0 when the check program exists', {
    skip: skipWithoutKeepalived,
  }, () => {
    const layout = GOLDEN_LAYOUTS['host-pair-two-groups'];
    const file = path.join(dir, 'existing-check.conf');
    const check = { ...layout.check!, command: ['/bin/true', '--data-dir', '/var/lib/sluice'] };
    fs.writeFileSync(file, renderKeepalivedConfig({ ...layout, check }, GOLDEN_FILES));
    const result = keepalivedCheck(file);
    assert.deepEqual(result.complaints, []);
    assert.ok(result.ok);
  });
});

const base = GOLDEN_LAYOUTS['host-pair-two-groups'];
const withGroup = (change: Partial<VrrpGroup>, index = 0): VrrpHostLayout => ({
  ...base,
  groups: base.groups.map((group, i) => (i === index ? { ...group, ...change } : group)),
});
const refuses = (layout: VrrpHostLayout, message: string, files = GOLDEN_FILES) =>
  assert.throws(
    () => renderKeepalivedConfig(layout, files),
    (error: unknown) => error instanceof RenderRefusal && error.message === message,
  );

describe('keepalived renderer rules', () => {
  it('advertises only the anchor and keeps every tenant VIP out of the adverts', () => {
    const text = render('host-pair-two-groups');
    assert.match(text, /virtual_ipaddress \{\n {8}198\.18\.0\.251\/32 dev eth1\n {4}\}/);
    assert.match(text, /virtual_ipaddress_excluded \{\n {8}198\.18\.0\.10\/32 dev eth1 # lb /);
  });

  it('runs every group as BACKUP with nopreempt, whatever its priority', () => {
    const text = render('host-pair-two-groups');
    assert.equal(text.match(/^ {4}state BACKUP$/gm)?.length, 2);
    assert.equal(text.match(/^ {4}nopreempt$/gm)?.length, 2);
    assert.doesNotMatch(text, /state MASTER/);
  });

  it('writes IPv6 addresses in lower case and keeps a given prefix length', () => {
    assert.match(render('ipv6-group'), /2001:db8:1::10\/128 dev eth2/);
    assert.match(render('host-pair-two-groups'), /198\.18\.0\.20\/24 dev eth1/);
  });

  it('refuses the same VRID twice on one interface', () => {
    refuses(withGroup({ vrid: 2 }), 'VRID 2 is used twice on eth1');
  });

  it('refuses a VIP held by two groups, and a VIP that is also an anchor', () => {
    refuses(
      withGroup({ vips: [{ address: '198.18.0.30', loadBalancerId: 'lb' }] }),
      'address 198.18.0.30 is in group eth1_1 and in group eth1_2',
    );
    refuses(
      withGroup({ vips: [{ address: '198.18.0.251', loadBalancerId: 'lb' }] }),
      'address 198.18.0.251 is in group eth1_1 (anchor) and in group eth1_1',
    );
  });

  it('refuses peers and a source address of another family than the anchor', () => {
    refuses(withGroup({ peers: ['2001:db8::2'] }), "group eth1_1 peer '2001:db8::2' is not an IPv4 address");
    refuses(
      withGroup({ sourceAddress: '2001:db8::1' }),
      "group eth1_1 source address '2001:db8::1' is not an IPv4 address",
    );
  });

  it('refuses a group without a peer or with itself as a peer', () => {
    refuses(withGroup({ peers: [] }), 'group eth1_1 has no peer');
    refuses(withGroup({ peers: ['198.18.0.11'] }), 'group eth1_1 lists its own source address as a peer');
  });

  it('refuses VRIDs, priorities and intervals outside what VRRPv3 carries', () => {
    refuses(withGroup({ vrid: 0 }), 'group eth1_1 VRID 0 is not an integer from 1 to 255');
    refuses(withGroup({ vrid: 256 }), 'group eth1_1 VRID 256 is not an integer from 1 to 255');
    refuses(withGroup({ priority: 255 }), 'group eth1_1 priority 255 is not an integer from 1 to 254');
    refuses(
      { ...base, advertIntervalSeconds: 0.005 },
      'advert interval 0.005 s is not a multiple of 0.01 s from 0.01 to 40.95',
    );
    refuses(
      { ...base, advertIntervalSeconds: 41 },
      'advert interval 41 s is not a multiple of 0.01 s from 0.01 to 40.95',
    );
  });
});

// Each payload carries something keepalived's parser acts on: a newline (a new keyword), `#`/`!` (comment), `{`/`}`
// (blocks), quotes, `$` (parameter substitution), a leading `@` (conditional), `include`, `\` (continuation).
const PAYLOADS = [
  'a\nvrrp_instance evil {',
  'x}\nglobal_defs {',
  'say "hi"',
  "it's",
  'a#comment',
  'a!comment',
  'two words',
  '$EVIL',
  '$\u007bEVIL}',
  '@host x',
  'include /etc/passwd',
  'back\\',
  '',
];

describe('keepalived renderer injection', () => {
  const fields: Record<string, (value: string) => VrrpHostLayout | [VrrpHostLayout, typeof GOLDEN_FILES]> = {
    'host id': (value) => ({ ...base, hostId: value }),
    'group name': (value) => withGroup({ name: value }),
    interface: (value) => withGroup({ interface: value }),
    'group eth1_1 source address': (value) => withGroup({ sourceAddress: value }),
    'group eth1_1 peer': (value) => withGroup({ peers: [value] }),
    'group eth1_1 anchor': (value) => withGroup({ anchor: value }),
    'group eth1_1 VIP': (value) => withGroup({ vips: [{ address: value, loadBalancerId: 'lb' }] }),
    'load balancer id': (value) => withGroup({ vips: [{ address: '198.18.0.40', loadBalancerId: value }] }),
    'check command program': (value) => ({ ...base, check: { ...base.check!, command: [value] } }),
    'check command argument': (value) => ({
      ...base,
      check: { ...base.check!, command: ['/bin/true', value] },
    }),
    'notify FIFO': (value) => [base, { ...GOLDEN_FILES, notifyFifo: value }],
    'notify script program': (value) => [base, { ...GOLDEN_FILES, notifyScript: value }],
    'notify script argument': (value) => [base, { ...GOLDEN_FILES, recordArgs: [value] }],
  };
  it('refuses a path that climbs out with ..', () => {
    refuses(
      { ...base, check: { ...base.check!, command: ['/var/lib/../../bin/sh'] } },
      "check command program '/var/lib/../../bin/sh' is not a plain absolute path",
    );
  });

  for (const [field, build] of Object.entries(fields)) {
    it(`refuses every parser-active payload in the ${field}, naming the field`, () => {
      for (const payload of PAYLOADS) {
        const built = build(payload);
        const [layout, files] = Array.isArray(built) ? built : [built, GOLDEN_FILES];
        assert.throws(
          () => renderKeepalivedConfig(layout, files),
          (error: unknown) => error instanceof RenderRefusal && error.message.startsWith(field),
          `${field} accepted ${JSON.stringify(payload)}`,
        );
      }
    });
  }
});
