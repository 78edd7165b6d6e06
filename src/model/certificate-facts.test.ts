import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CertificateFacts, expiryReason, isoSeconds } from './certificate-facts.ts';

const facts = (
  ref: string,
  notAfter: string,
  role: CertificateFacts['role'] = 'default',
): CertificateFacts => ({
  ref,
  role,
  subject: `CN=${ref}.example.com`,
  subjectAltNames: [`${ref}.example.com`],
  notAfter,
});
const NOW = new Date('2026-12-05T17:30:00Z');

describe('expiryReason', () => {
  it('is null while every certificate has more than 14 days left, or there is none', () => {
    assert.equal(expiryReason([], NOW), null);
    assert.equal(expiryReason([facts('www', '2026-12-19T17:30:01Z')], NOW), null);
  });

  it('names a certificate expiring within 14 days with the whole days begun', () => {
    assert.equal(
      expiryReason([facts('www', '2026-12-14T00:00:00Z')], NOW),
      'certificate www (CN=www.example.com) expires 2026-12-14T00:00:00Z, in 9 days',
    );
    assert.equal(
      expiryReason([facts('www', '2026-12-19T17:30:00Z')], NOW),
      'certificate www (CN=www.example.com) expires 2026-12-19T17:30:00Z, in 14 days',
    );
    assert.equal(
      expiryReason([facts('www', '2026-12-05T18:00:00Z')], NOW),
      'certificate www (CN=www.example.com) expires 2026-12-05T18:00:00Z, in 1 day',
    );
  });

  it('says expired once the end of validity has passed, and lists the soonest first', () => {
    assert.equal(
      expiryReason(
        [
          facts('far', '2027-06-01T00:00:00Z'),
          facts('soon', '2026-12-10T00:00:00Z', 'sni'),
          facts('old', '2026-12-01T00:00:00Z', 'sni'),
        ],
        NOW,
      ),
      'certificate old (CN=old.example.com) expired 2026-12-01T00:00:00Z; ' +
        'certificate soon (CN=soon.example.com) expires 2026-12-10T00:00:00Z, in 5 days',
    );
  });

  it('prints instants to the second in UTC', () => {
    assert.equal(isoSeconds(new Date('2026-12-14T00:00:00.000Z')), '2026-12-14T00:00:00Z');
  });
});
