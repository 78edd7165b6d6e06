// Behaviour of table output: aligned columns under a dashed rule, blanks for null, JSON for structures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatList } from './print-output.ts';
import { renderFields, renderTable } from './render-table.ts';

describe('renderTable', () => {
  it('aligns every column to its widest cell and trims the line ends', () => {
    assert.equal(
      renderTable(
        ['id', 'name', 'port'],
        [
          ['a1', 'web', 80],
          ['b22222', null, 8080],
        ],
      ),
      ['id      name  port', '------  ----  ----', 'a1      web   80', 'b22222        8080', ''].join('\n'),
    );
  });

  it('counts characters, not bytes, so names in other scripts stay aligned', () => {
    const lines = renderTable(
      ['name', 'x'],
      [
        ['żółw', 1],
        ['ab', 2],
      ],
    ).split('\n');
    assert.equal(lines[2].indexOf('1'), lines[3].indexOf('2'));
  });

  it('shows one object as sorted Field/Value rows with structures as JSON', () => {
    assert.equal(
      renderFields({ name: 'a', listeners: [{ id: 'l' }] }),
      ['Field      Value', '---------  ------------', 'listeners  [{"id":"l"}]', 'name       a', ''].join(
        '\n',
      ),
    );
  });

  it('prints lists as JSON arrays or YAML sequences of the API objects', () => {
    const objects = [{ id: '1', name: 'a', extra: true }];
    assert.deepEqual(JSON.parse(formatList(objects, ['id'], 'json')), objects);
    assert.equal(formatList(objects, ['id'], 'yaml'), '- id: "1"\n  name: a\n  extra: true\n');
    assert.equal(formatList([], ['id'], 'yaml'), '[]\n');
  });
});
