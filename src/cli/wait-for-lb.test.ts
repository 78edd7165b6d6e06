// Behaviour of --wait's progress: one line rewritten in place on a terminal, one line per change elsewhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressReporter } from './wait-for-lb.ts';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progressReporter', () => {
  it('writes one line per state change when stderr is not a terminal', () => {
    const out = sink(false);
    const report = progressReporter(out, 'lb x');
    for (const state of ['PENDING_UPDATE', 'PENDING_UPDATE', 'ACTIVE']) report.state(state, 0);
    report.done();
    assert.deepEqual(out.written, ['lb x: PENDING_UPDATE\n', 'lb x: ACTIVE\n']);
  });

  it('rewrites one line with \\r on a terminal and ends it once', () => {
    const out = sink(true);
    const report = progressReporter(out, 'lb x');
    report.state('PENDING_CREATE', 0);
    report.state('ACTIVE', 1);
    report.done();
    assert.deepEqual(out.written, ['\r\x1b[Klb x: PENDING_CREATE (0s)', '\r\x1b[Klb x: ACTIVE (1s)', '\n']);
  });
});
