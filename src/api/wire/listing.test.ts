import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SluiceError } from '../../errors.ts';
import { listPage } from './listing.ts';

const rows = [
  {
    id: 'a',
    name: 'web',
    created_at: '2026-01-01T00:00:01',
    enabled: true,
    tags: ['x', 'y'],
    parents: [{ id: 'p1' }],
    note: null,
  },
  {
    id: 'b',
    name: 'db',
    created_at: '2026-01-01T00:00:02',
    enabled: false,
    tags: ['x'],
    parents: [{ id: 'p2' }],
    note: 'n',
  },
  {
    id: 'c',
    name: 'web',
    created_at: '2026-01-01T00:00:03',
    enabled: true,
    tags: [],
    parents: [{ id: 'p1' }],
    note: null,
  },
];
const options = {
  attributes: ['id', 'name', 'created_at', 'enabled'],
  filters: {
    id: 'id',
    name: 'name',
    enabled: 'enabled',
    admin_state_up: 'enabled',
    note: 'note',
    parent_id: (row: Record<string, unknown>) => (row.parents as { id: string }[])[0].id,
  },
};
const url = 'http://h/v2/lbaas/things';
const ids = (page: { items: Record<string, unknown>[] }) => page.items.map((r) => r.id);

describe('listPage', () => {
  it('orders by created_at then id by default', () => {
    assert.deepEqual(ids(listPage([...rows].reverse(), {}, options, url)), ['a', 'b', 'c']);
  });

  it('filters on attribute equality and parses booleans leniently', () => {
    assert.deepEqual(ids(listPage(rows, { name: 'web' }, options, url)), ['a', 'c']);
    assert.deepEqual(ids(listPage(rows, { enabled: 'False' }, options, url)), ['b']);
  });

  it('reads a filter through an alias or a getter for values the wire nests', () => {
    assert.deepEqual(ids(listPage(rows, { admin_state_up: 'true' }, options, url)), ['a', 'c']);
    assert.deepEqual(ids(listPage(rows, { parent_id: 'p1' }, options, url)), ['a', 'c']);
    assert.deepEqual(ids(listPage(rows, { parent_id: 'p1', name: 'db' }, options, url)), []);
  });

  it('matches any value of a repeated filter', () => {
    assert.deepEqual(ids(listPage(rows, { id: ['a', 'b'] }, options, url)), ['a', 'b']);
  });

  it("reads boolean filters as oslo's bool_from_string: words outside its true list mean false", () => {
    assert.deepEqual(ids(listPage(rows, { enabled: ' YES ' }, options, url)), ['a', 'c']);
    assert.deepEqual(ids(listPage(rows, { enabled: 'maybe' }, options, url)), ['b']);
  });

  it('never matches a null value, as SQL equality does not', () => {
    assert.deepEqual(ids(listPage(rows, { note: '' }, options, url)), []);
    assert.deepEqual(ids(listPage(rows, { note: 'None' }, options, url)), []);
    assert.deepEqual(ids(listPage(rows, { note: 'n' }, options, url)), ['b']);
  });

  it('rejects a sortable attribute that is not a filter key', () => {
    assert.throws(() => listPage(rows, { created_at: 'x' }, options, url), /One or more arguments/);
  });

  it('rejects a filter that is not an attribute', () => {
    assert.throws(
      () => listPage(rows, { bogus: '1' }, options, url),
      (e: SluiceError) => {
        return e.message === 'One or more arguments are either duplicate or invalid' && e.status === 400;
      },
    );
  });

  it('sorts with sort=key:dir and rejects unknown keys and directions', () => {
    assert.deepEqual(ids(listPage(rows, { sort: 'name:desc,id:desc' }, options, url)), ['c', 'a', 'b']);
    assert.throws(
      () => listPage(rows, { sort: 'nope' }, options, url),
      /Supplied sort key 'nope' is not valid/,
    );
    assert.throws(() => listPage(rows, { sort_key: 'name', sort_dir: 'up' }, options, url), /sort direction/);
  });

  it('pages with limit and marker and links the next and previous pages', () => {
    const first = listPage(rows, { limit: '2' }, options, url);
    assert.deepEqual(ids(first), ['a', 'b']);
    assert.deepEqual(first.links, [{ href: `${url}?limit=2&marker=b`, rel: 'next' }]);
    const second = listPage(rows, { limit: '2', marker: 'b' }, options, url);
    assert.deepEqual(ids(second), ['c']);
    assert.deepEqual(second.links, [{ href: `${url}?limit=2&marker=c&page_reverse=True`, rel: 'previous' }]);
    assert.deepEqual(ids(listPage(rows, { limit: '1', marker: 'c', page_reverse: 'True' }, options, url)), [
      'b',
    ]);
  });

  it('reads a limit of 0 or below as no limit, linking onwards with limit=None as Octavia 15.0.0 does', () => {
    for (const limit of ['0', '-1']) {
      const page = listPage(rows, { limit }, options, url);
      assert.deepEqual(ids(page), ['a', 'b', 'c']);
      assert.deepEqual(page.links, [{ href: `${url}?limit=None&marker=c`, rel: 'next' }]);
    }
    const fromMarker = listPage(rows, { limit: '0', marker: 'a' }, options, url);
    assert.deepEqual(ids(fromMarker), ['b', 'c']);
    assert.deepEqual(fromMarker.links, [
      { href: `${url}?limit=None&marker=b&page_reverse=True`, rel: 'previous' },
      { href: `${url}?limit=None&marker=c`, rel: 'next' },
    ]);
  });

  it('rejects a non-integer limit and an unknown marker', () => {
    assert.throws(
      () => listPage(rows, { limit: 'ten' }, options, url),
      /Supplied pagination limit 'ten' is not valid\./,
    );
    assert.throws(
      () => listPage(rows, { marker: 'zz' }, options, url),
      /Supplied pagination marker 'zz' is not valid\./,
    );
  });

  it('applies the four tag filters', () => {
    assert.deepEqual(ids(listPage(rows, { tags: 'x,y' }, options, url)), ['a']);
    assert.deepEqual(ids(listPage(rows, { 'tags-any': ['y', 'x'] }, options, url)), ['a', 'b']);
    assert.deepEqual(ids(listPage(rows, { 'not-tags': 'x,y' }, options, url)), ['b', 'c']);
    assert.deepEqual(ids(listPage(rows, { 'not-tags-any': 'x' }, options, url)), ['c']);
  });

  it('projects each object onto the requested fields', () => {
    const page = listPage(rows, { fields: ['id', 'name'], limit: '1' }, options, url);
    assert.deepEqual(page.items, [{ id: 'a', name: 'web' }]);
  });
});
