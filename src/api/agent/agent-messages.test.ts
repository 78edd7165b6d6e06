import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPORT_LOG_LINES } from '../../model/agent-protocol.ts';
import { parseAgentReport } from './agent-messages.ts';

const report = (logs: unknown) => ({ epoch: 'e', results: [], observed: {}, logs });

/** The 400 message parseAgentReport throws for `body`. */
function refusal(body: unknown): string {
  try {
    parseAgentReport(body);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('agent report access logs', () => {
  it("takes each load balancer's lines and dropped count", () => {
    const parsed = parseAgentReport(report({ lb: { lines: ['l1 a', 'l1 b'], dropped: 2 } }));
    assert.deepEqual(parsed.logs, { lb: { lines: ['l1 a', 'l1 b'], dropped: 2 } });
    assert.equal(parseAgentReport({ epoch: 'e', results: [], observed: {} }).logs, undefined);
  });

  it("refuses logs without the protocol's shape, and more lines than a report may carry", () => {
    assert.equal(
      refusal(report([])),
      'Invalid agent message: logs must be an object of load balancer id to lines',
    );
    assert.equal(
      refusal(report({ lb: { lines: [1], dropped: 0 } })),
      'Invalid agent message: logs of a load balancer need lines, a list of strings',
    );
    assert.equal(
      refusal(report({ lb: { lines: [], dropped: -1 } })),
      'Invalid agent message: logs of a load balancer need dropped, a count',
    );
    const lines = Array.from({ length: REPORT_LOG_LINES / 2 + 1 }, () => 'x');
    assert.equal(
      refusal(report({ a: { lines, dropped: 0 }, b: { lines, dropped: 0 } })),
      `Invalid agent message: a report carries at most ${REPORT_LOG_LINES} log lines`,
    );
  });
});
