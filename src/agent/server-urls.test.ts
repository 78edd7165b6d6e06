import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseServerUrls } from './server-urls.ts';

it('reads a comma-separated list from one --server', () => {
  assert.deepEqual(parseServerUrls(['http://a:9876, https://b:9876/'], undefined), [
    'http://a:9876',
    'https://b:9876/',
  ]);
});

it('combines repeated --server flags with lists in them, in order, without duplicates', () => {
  assert.deepEqual(
    parseServerUrls(['http://a:9876,http://b:9876', 'http://c:9876', 'http://a:9876'], undefined),
    ['http://a:9876', 'http://b:9876', 'http://c:9876'],
  );
});

it('reads SLUICE_SERVER as a comma-separated list when no flag is given', () => {
  assert.deepEqual(parseServerUrls(undefined, 'http://a:9876,,http://b:9876'), [
    'http://a:9876',
    'http://b:9876',
  ]);
  assert.deepEqual(parseServerUrls([], 'http://a:9876'), ['http://a:9876']);
});

it('prefers the flag over the env', () => {
  assert.deepEqual(parseServerUrls(['http://flag:9876'], 'http://env:9876'), ['http://flag:9876']);
});

it('is empty when neither the flag nor the env names a URL', () => {
  assert.deepEqual(parseServerUrls(undefined, undefined), []);
  assert.deepEqual(parseServerUrls(undefined, ' , '), []);
});

it('refuses a value that is not an http(s) URL, naming it', () => {
  for (const bad of ['api-host:9876', 'ftp://a:21', 'http//a', '9876'])
    assert.throws(
      () => parseServerUrls([`http://good:9876,${bad}`], undefined),
      new Error(`--server must be http(s) URLs, not '${bad}'`),
    );
  assert.throws(
    () => parseServerUrls(undefined, 'http://good:9876,localhost:9876'),
    new Error("--server must be http(s) URLs, not 'localhost:9876'"),
  );
});
