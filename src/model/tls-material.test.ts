import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hstsHeaderValue } from './tls-material.ts';

describe('hstsHeaderValue', () => {
  it('renders max-age alone, with its trailing semicolon', () => {
    assert.equal(hstsHeaderValue({ maxAge: 0, includeSubdomains: false, preload: false }), 'max-age=0;');
  });

  it('renders the value octavia-tempest-plugin expects with both flags', () => {
    assert.equal(
      hstsHeaderValue({ maxAge: 100, includeSubdomains: true, preload: true }),
      'max-age=100; includeSubDomains; preload;',
    );
  });
});
