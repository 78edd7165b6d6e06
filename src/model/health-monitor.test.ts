import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkHealthMonitorCreate,
  checkHealthMonitorUpdate,
  type HealthMonitorInput,
  isValidUrlPath,
  withHttpDefaults,
} from './health-monitor.ts';
import type { Violation } from './pool-validation.ts';

const base: HealthMonitorInput = { type: 'TCP', delay: 5, timeout: 3, maxRetries: 3 };
const message = (v: Violation | undefined) =>
  v?.kind === 'validation'
    ? `Validation failure: ${v.detail}`
    : v?.kind === 'invalid-option'
      ? `${v.value} is not a valid option for ${v.option}`
      : v;

describe('health monitor rules (reference §7)', () => {
  it('accepts every type the pool/monitor table allows', () => {
    for (const type of ['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO'])
      assert.equal(checkHealthMonitorCreate('HTTP', { ...base, type }), undefined, type);
    for (const type of ['HTTP', 'TCP', 'UDP-CONNECT', 'SCTP'])
      assert.equal(checkHealthMonitorCreate('UDP', { ...base, type }), undefined, type);
  });

  it('refuses UDP-CONNECT and SCTP monitors on TCP-family pools', () => {
    assert.equal(
      message(checkHealthMonitorCreate('TCP', { ...base, type: 'UDP-CONNECT' })),
      'Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP.',
    );
  });

  it('refuses HTTPS, PING and TLS-HELLO monitors on UDP/SCTP pools', () => {
    assert.equal(
      message(checkHealthMonitorCreate('SCTP', { ...base, type: 'PING' })),
      'Validation failure: The associated pool protocol is SCTP, so only a UDP-CONNECT/SCTP/TCP/HTTP health ' +
        'monitor is supported.',
    );
  });

  it('refuses a UDP-CONNECT delay below the configured minimum', () => {
    assert.equal(
      message(checkHealthMonitorCreate('UDP', { ...base, type: 'UDP-CONNECT', delay: 2 })),
      'Validation failure: The request delay value 2 should be larger than 3 for UDP-CONNECT health monitor type.',
    );
    assert.equal(checkHealthMonitorCreate('UDP', { ...base, type: 'UDP-CONNECT', delay: 3 }), undefined);
  });

  it('refuses null mandatory fields on create', () => {
    assert.equal(
      message(checkHealthMonitorCreate('TCP', { ...base, delay: null })),
      'None is not a valid option for delay',
    );
    assert.equal(
      message(checkHealthMonitorCreate('TCP', { ...base, maxRetries: null })),
      'None is not a valid option for max_retries',
    );
  });

  it('refuses HTTP-only fields on other monitor types', () => {
    assert.equal(
      message(checkHealthMonitorCreate('TCP', { ...base, urlPath: '/x' })),
      'url_path is not a valid option for health monitors of type TCP',
    );
    assert.equal(
      message(checkHealthMonitorCreate('HTTP', { ...base, type: 'PING', expectedCodes: '200' })),
      'expected_codes is not a valid option for health monitors of type PING',
    );
  });

  it('requires http_version 1.1 for domain_name', () => {
    const http = { ...base, type: 'HTTP' };
    assert.equal(
      message(checkHealthMonitorCreate('HTTP', { ...http, domainName: 'example.com' })),
      "Validation failure: 'http_version' must be specified when 'domain_name' is provided.",
    );
    assert.equal(
      message(checkHealthMonitorCreate('HTTP', { ...http, domainName: 'example.com', httpVersion: 1 })),
      'http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check',
    );
    assert.equal(
      checkHealthMonitorCreate('HTTP', { ...http, domainName: 'example.com', httpVersion: 1.1 }),
      undefined,
    );
  });

  it('fills GET, / and 200 into HTTP monitors only', () => {
    assert.deepEqual(withHttpDefaults({ type: 'HTTPS' }), {
      type: 'HTTPS',
      httpMethod: 'GET',
      urlPath: '/',
      expectedCodes: '200',
    });
    assert.deepEqual(withHttpDefaults({ type: 'TCP' }), { type: 'TCP' });
  });

  it('refuses even a null HTTP field when updating a non-HTTP monitor', () => {
    const stored = { type: 'TCP', httpVersion: null, domainName: null };
    assert.equal(
      message(checkHealthMonitorUpdate('TCP', stored, { httpMethod: null })),
      'http_method is not a valid option for health monitors of type TCP',
    );
  });

  it('refuses null delay, timeout or max_retries on update', () => {
    const stored = { type: 'HTTP', httpVersion: null, domainName: null };
    assert.equal(
      message(checkHealthMonitorUpdate('HTTP', stored, { timeout: null })),
      'None is not a valid option for timeout',
    );
  });

  it('checks the stored http_version when an update sets domain_name', () => {
    const stored = { type: 'HTTP', httpVersion: 1.1, domainName: null };
    assert.equal(checkHealthMonitorUpdate('HTTP', stored, { domainName: 'a.example' }), undefined);
  });

  it('accepts only absolute paths without scheme, host or whitespace as url_path', () => {
    for (const ok of ['/', '/health', '/a/b?x=1#f', '/%20']) assert.ok(isValidUrlPath(ok), ok);
    for (const bad of ['health', 'http://host/', '//host/x', '/a b', ''])
      assert.equal(isValidUrlPath(bad), false, bad);
  });
});
