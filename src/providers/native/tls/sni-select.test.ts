// SNI certificate choice as HAProxy's crt-list makes it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sniSelect } from './sni-select.ts';

const entries = [
  ['www.example.com'],
  ['*.example.com', 'api.example.com'],
  ['api.example.com'],
  ['*.example.com'],
];

it('prefers an exact name over a wildcard, and the first listed among equals', () => {
  assert.equal(sniSelect(entries, 'api.example.com'), 1);
  assert.equal(sniSelect(entries, 'www.example.com'), 0);
  assert.equal(sniSelect(entries, 'shop.example.com'), 1);
});

it('lets a wildcard stand for exactly one label, compares case-insensitively, ignores a trailing dot', () => {
  assert.equal(sniSelect(entries, 'a.b.example.com'), -1);
  assert.equal(sniSelect(entries, 'example.com'), -1);
  assert.equal(sniSelect(entries, 'WWW.Example.COM.'), 0);
  assert.equal(sniSelect(entries, 'Shop.EXAMPLE.com'), 1);
  assert.equal(sniSelect(entries, 'other.org'), -1);
});
