import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanLine } from './human-log.ts';

const record = (fields: Record<string, unknown>) =>
  `${JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 6, 0, 50, 1, 234), pid: 7, hostname: 'h', service: 'sluice', ...fields })}\n`;

describe('humanLine', () => {
  it('writes time, level, service and message, then the other fields as key=value', () => {
    assert.equal(
      humanLine(
        record({ msg: 'controller leading', agent: 'a1', reason: 'no answer within 2 s', n: 3 }),
        false,
      ),
      '00:50:01.234 INFO  sluice: controller leading agent=a1 reason="no answer within 2 s" n=3\n',
    );
  });

  it("puts an error's stack under the line, indented", () => {
    const line = humanLine(
      record({
        level: 50,
        msg: 'pass failed',
        err: { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1)' },
      }),
      false,
    );
    assert.equal(line, '00:50:01.234 ERROR sluice: pass failed\n    Error: boom\n        at x (y.ts:1)\n');
  });

  it('colours the level on a terminal that has colours', () => {
    assert.ok(humanLine(record({ level: 40, msg: 'm' }), true).includes('\u001b[33mWARN \u001b[0m'));
  });

  it('passes a line that is not JSON unchanged', () => {
    assert.equal(humanLine('not json', false), 'not json\n');
  });
});
