// Octavia's `expected_codes` (reference §7: a list `200,202` or a range `200-204`), turned into the
// predicate HAProxy renders as `http-check expect rstatus 200|202` with ranges expanded (reference §12.3).
import { HTTP_DEFAULTS } from '../../../model/health-monitor.ts';

/** The status codes `expectedCodes` accepts; null means Octavia's default `200`. */
export function parseExpectedCodes(expectedCodes: string | null): ReadonlySet<number> {
  const text = (expectedCodes ?? HTTP_DEFAULTS.expectedCodes).trim();
  const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
  if (range) {
    const codes = new Set<number>();
    for (let code = Number(range[1]); code <= Number(range[2]); code++) codes.add(code);
    return codes;
  }
  return new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => /^\d{3}$/.test(part))
      .map(Number),
  );
}
