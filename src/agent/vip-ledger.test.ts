// The VIP ledger on a real file in a temporary directory: empty when absent, what was saved when present,
// replaced whole (no temporary file left), and a file that is not a ledger is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { VipLedger } from './vip-ledger.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-vip-ledger-'));

describe('VIP ledger', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is empty before anything was saved', () => {
    assert.deepEqual(new VipLedger(path.join(dir, 'none.json')).load(), []);
  });

  it('gives a new ledger on the same file what the last save wrote, leaving no temporary file', () => {
    const file = path.join(dir, 'vips.json');
    new VipLedger(file).save([{ loadBalancerId: 'lb-1', address: '10.99.0.5', iface: 'eth1' }]);
    new VipLedger(file).save([
      { loadBalancerId: 'lb-1', address: '10.99.0.5', iface: 'eth1' },
      { loadBalancerId: 'lb-2', address: '10.99.0.6', iface: 'eth1' },
    ]);
    assert.deepEqual(new VipLedger(file).load(), [
      { loadBalancerId: 'lb-1', address: '10.99.0.5', iface: 'eth1' },
      { loadBalancerId: 'lb-2', address: '10.99.0.6', iface: 'eth1' },
    ]);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('vips')),
      ['vips.json'],
    );
  });

  it('refuses a file that is not a ledger of its version', () => {
    const file = path.join(dir, 'other.json');
    fs.writeFileSync(file, '{"version":2,"addresses":[]}');
    assert.throws(() => new VipLedger(file).load(), /other\.json: not a VIP ledger of version 1/);
  });
});
