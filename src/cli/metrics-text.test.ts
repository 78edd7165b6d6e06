import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetricsText } from './metrics-text.ts';

describe('metrics text', () => {
  it('reads samples with their labels and values, skipping comments and blank lines', () => {
    const text = [
      '# HELP octavia_member_sessions_total Total number of sessions.',
      '# TYPE octavia_member_sessions_total counter',
      'octavia_member_sessions_total{pool="p",member="m"} 12',
      '',
      'up 1',
      'odd{label="a\\"b\\\\c\\nd"} 2.5',
    ].join('\n');
    assert.deepEqual(parseMetricsText(text), [
      { name: 'octavia_member_sessions_total', labels: { pool: 'p', member: 'm' }, value: 12 },
      { name: 'up', labels: {}, value: 1 },
      { name: 'odd', labels: { label: 'a"b\\c\nd' }, value: 2.5 },
    ]);
  });
});
