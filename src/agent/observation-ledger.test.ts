import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProviderReport } from '../model/provider-driver.ts';
import { FULL_REPORT_EVERY, ObservationLedger } from './observation-ledger.ts';

const report = (connections: number) => ({ listeners: { l1: { connections } } }) as unknown as ProviderReport;

describe('observation ledger', () => {
  it('sends everything first, then only what changed since the server acknowledged it', () => {
    const ledger = new ObservationLedger();
    const first = ledger.batch({ a: report(1), b: report(1) });
    assert.deepEqual(Object.keys(first.observed), ['a', 'b']);
    first.acknowledge();
    assert.deepEqual(Object.keys(ledger.batch({ a: report(1), b: report(2) }).observed), ['b']);
  });

  it('sends again what a failed report carried', () => {
    const ledger = new ObservationLedger();
    ledger.batch({ a: report(1) }).acknowledge();
    ledger.batch({ a: report(2) }); // never acknowledged: the report failed
    assert.deepEqual(Object.keys(ledger.batch({ a: report(2) }).observed), ['a']);
  });

  it('sends a forgotten load balancer whatever it observes, and everything every FULL_REPORT_EVERY reports', () => {
    const ledger = new ObservationLedger();
    const now = { a: report(1), b: report(1) };
    ledger.batch(now).acknowledge();
    ledger.forget(['a']);
    assert.deepEqual(Object.keys(ledger.batch(now).observed), ['a']);
    for (let i = 2; i < FULL_REPORT_EVERY; i += 1) ledger.batch(now).acknowledge();
    assert.deepEqual(Object.keys(ledger.batch(now).observed), ['a', 'b']);
  });
});
