// Renders a JSON value the way Python's str() prints it, because Octavia's WSME faults embed values with
// "%s" (e.g. `Value: 'True'`, `Value: '['a']'`). Wire compatibility extends to these strings.

export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

/** Containers nested deeper than this print as `...` (Python prints `[...]` only for cycles). */
const MAX_DEPTH = 32;

/** Python's repr(): strings quoted, None/True/False, lists and dicts as Python prints them. */
export function pyRepr(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? pyInt(value) : pyFloat(value);
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  // Bounded so a hostile body cannot overflow the stack while its fault is being written.
  if (depth >= MAX_DEPTH) return '...';
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item, depth + 1)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v, depth + 1)}`).join(', ')}}`;
}

/** Python prints every int in digits; JavaScript switches to exponent form from 1e21. */
function pyInt(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

function pyFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const text = String(value);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}
