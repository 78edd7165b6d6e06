import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProviderReport } from '../model/provider-driver.ts';
import { inRefreshSlice } from '../model/refresh-slice.ts';
import { FULL_REPORT_EVERY, ObservationLedger } from './observation-ledger.ts';

const report = (connections: number) => ({ listeners: { l1: { connections } } }) as unknown as ProviderReport;
/** Of `ids`, those the report numbered `pass` sends unchanged (its refresh slice). */
const sliceOf = (ids: string[], pass: number) =>
  ids.filter((id) => inRefreshSlice(id, pass, FULL_REPORT_EVERY));
const ids = Array.from({ length: 300 }, (_, i) => `lb-${i}`);
const all = (connections: number) => Object.fromEntries(ids.map((id) => [id, report(connections)]));

describe('observation ledger', () => {
  it('sends everything first, then only what changed since the server acknowledged it and its refresh slice', () => {
    const ledger = new ObservationLedger();
    const first = ledger.batch(all(1));
    assert.deepEqual(Object.keys(first.observed), ids);
    first.acknowledge();
    const now = { ...all(1), 'lb-7': report(2) };
    const expected = new Set([...sliceOf(ids, 1), 'lb-7']);
    assert.deepEqual(new Set(Object.keys(ledger.batch(now).observed)), expected);
    assert.ok(expected.size < ids.length / 5, `slice of ${expected.size}`);
  });

  it('sends again what a failed report carried', () => {
    const ledger = new ObservationLedger();
    ledger.batch(all(1)).acknowledge();
    ledger.batch(all(2)); // never acknowledged: the report failed
    assert.deepEqual(Object.keys(ledger.batch(all(2)).observed), ids);
  });

  it('sends a forgotten load balancer whatever it observes', () => {
    const ledger = new ObservationLedger();
    ledger.batch(all(1)).acknowledge();
    ledger.forget(['lb-3']);
    assert.ok(Object.hasOwn(ledger.batch(all(1)).observed, 'lb-3'));
  });

  it('sends each unchanged observation again once in every FULL_REPORT_EVERY reports, never all at once', () => {
    const ledger = new ObservationLedger();
    ledger.batch(all(1)).acknowledge();
    const seen = new Map<string, number>();
    for (let pass = 1; pass <= FULL_REPORT_EVERY; pass += 1) {
      const batch = ledger.batch(all(1));
      const sent = Object.keys(batch.observed);
      assert.ok(sent.length < ids.length / 5, `report ${pass} sent ${sent.length}`);
      for (const id of sent) seen.set(id, (seen.get(id) ?? 0) + 1);
      batch.acknowledge();
    }
    assert.equal(seen.size, ids.length);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  it('refreshes no slice in a report that is not a heartbeat, and the next heartbeat takes the next slice', () => {
    const ledger = new ObservationLedger();
    ledger.batch(all(1)).acknowledge();
    const now = { ...all(1), 'lb-9': report(3) };
    const change = ledger.batch(now, { refresh: false });
    assert.deepEqual(Object.keys(change.observed), ['lb-9']);
    change.acknowledge();
    assert.deepEqual(new Set(Object.keys(ledger.batch(now).observed)), new Set(sliceOf(ids, 1)));
  });
});
