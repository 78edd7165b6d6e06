// What a TLS listener shows of its server certificates (Sluice extension fields of the listener's wire view,
// issue #14 "expiry is visible"): per ref its role, subject, SAN DNS names and expiry — no key material —
// and the operating status reason a certificate close to or past its expiry gives the listener.

export const CERTIFICATE_ROLES = ['default', 'sni'] as const;
export type CertificateRole = (typeof CERTIFICATE_ROLES)[number];

export type CertificateFacts = Readonly<{
  ref: string;
  role: CertificateRole;
  /** the subject, RFC 4514 (most specific first), e.g. `CN=www.example.com,O=Example` */
  subject: string;
  /** the subjectAltName DNS names, in certificate order */
  subjectAltNames: readonly string[];
  /** the end of validity, ISO 8601 in UTC to the second: `2026-12-14T00:00:00Z` */
  notAfter: string;
}>;

/** A certificate that expires within this many days makes its listener say so. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** An instant as the facts print it: ISO 8601 UTC without fractions of a second. */
export const isoSeconds = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The operating status reason of a listener with these certificates at `now`: null while none expires within
 * EXPIRY_WARNING_DAYS, else one sentence per such certificate, the soonest first, e.g.
 * `certificate <ref> (CN=www.example.com) expires 2026-12-14T00:00:00Z, in 9 days` or `… expired <when>`.
 * Days left count whole days begun (8.3 days left: "in 9 days").
 */
export function expiryReason(facts: readonly CertificateFacts[], now: Date): string | null {
  const soon = facts
    .map((f) => ({ f, left: Date.parse(f.notAfter) - now.getTime() }))
    .filter(({ left }) => left <= EXPIRY_WARNING_DAYS * DAY_MS)
    .sort((a, b) => a.left - b.left);
  if (soon.length === 0) return null;
  return soon
    .map(({ f, left }) => {
      const named = `certificate ${f.ref} (${f.subject})`;
      if (left <= 0) return `${named} expired ${f.notAfter}`;
      const days = Math.ceil(left / DAY_MS);
      return `${named} expires ${f.notAfter}, in ${days} ${days === 1 ? 'day' : 'days'}`;
    })
    .join('; ');
}
