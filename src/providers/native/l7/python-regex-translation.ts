// Rewrites an L7 REGEX value, which the API validated as Python `re` syntax (model/l7-rule-validation.ts), as
// JavaScript source with the same meaning, ASCII case-folded when the rule matches case-insensitively. What has
// no JavaScript or no linear-time equivalent is named instead, so the provider refuses it rather than match
// something else (`\A` is a literal `A` in JavaScript, `[]a]` an empty set then `a]`, `a{,3}` literal text).

/** JavaScript source and flags, or why the pattern cannot be translated. */
export type RegexTranslation =
  | Readonly<{ source: string; flags: string }>
  | Readonly<{ unsupported: string }>;

type Piece = Readonly<{ text: string; next: number }> | Readonly<{ unsupported: string }>;
/** A set member: a code point range, or a class escape (\d, \w, …) kept as written. */
type SetMember = Readonly<{ low: number; high: number }> | Readonly<{ escape: string }>;

const unsupported = (what: string) => ({ unsupported: what }) as const;

/** Python's escapes that mean one character and are written differently (or not at all) in JavaScript. */
const CHARACTER_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
/** Python's leading global flags: `i` case-folds, `s` and `m` exist in JavaScript, `a`/`u` pick the classes. */
const LEADING_FLAGS = /^\(\?([aiLmsux]+)\)/;
/** A Python repeat `{m}`, `{m,}`, `{,n}`, `{m,n}` (sre_parse: anything else after `{` is literal text). */
const BRACES = /^\{(\d*)(,?)(\d*)\}/;

/**
 * `caseless` is HAProxy's `-i` (HOST_NAME rules): PCRE then folds ASCII letters only, so this folds ASCII
 * letters into sets (`a` → `[aA]`) instead of using the `i` flag, which V8's linear engine does not run.
 */
export function translatePythonRegex(pattern: string, caseless: boolean): RegexTranslation {
  let ignoreCase = caseless;
  const flags = new Set<string>();
  let i = 0;
  for (let m = LEADING_FLAGS.exec(pattern); m; m = LEADING_FLAGS.exec(pattern.slice(i))) {
    for (const flag of m[1]) {
      if (flag === 'i') ignoreCase = true;
      else if (flag === 's' || flag === 'm') flags.add(flag);
      else if (flag === 'x') return unsupported('verbose mode (?x)');
      else if (flag === 'L') return unsupported('locale mode (?L)');
      // `a` (ASCII classes) is how JavaScript and HAProxy's PCRE read \d \w \s; `u` is Python 3's default.
    }
    i += m[0].length;
  }
  let out = '';
  while (i < pattern.length) {
    const piece = translateAt(pattern, i, ignoreCase);
    if ('unsupported' in piece) return piece;
    out += piece.text;
    i = piece.next;
  }
  return { source: out, flags: [...flags].join('') };
}

function translateAt(p: string, i: number, ignoreCase: boolean): Piece {
  const c = p[i];
  switch (c) {
    case '\\':
      return topEscape(p, i, ignoreCase);
    case '[':
      return characterSet(p, i, ignoreCase);
    case '(':
      return groupOpen(p, i);
    case '*':
    case '+':
    case '?':
      return quantifierEnd(p, i + 1, c);
    case '{': {
      const braces = BRACES.exec(p.slice(i));
      if (!braces || (braces[1] === '' && braces[2] === '')) return { text: '\\{', next: i + 1 };
      return quantifierEnd(p, i + braces[0].length, `{${braces[1] || '0'}${braces[2]}${braces[3]}}`);
    }
    case '}':
      return { text: '\\}', next: i + 1 };
    case '.':
    case '^':
    case '$':
    case '|':
    case ')':
      return { text: c, next: i + 1 };
    default:
      return { text: literal(c.charCodeAt(0), ignoreCase, c), next: i + 1 };
  }
}

/** A repeat ends with an optional `?` (lazy, as in JavaScript) or `+` (possessive, Python 3.11: none in JS). */
function quantifierEnd(p: string, next: number, text: string): Piece {
  if (p[next] === '+') return unsupported('possessive repeats');
  return p[next] === '?' ? { text: `${text}?`, next: next + 1 } : { text, next };
}

/** `(?P<n>` is JavaScript's `(?<n>`; `(?#…)` is dropped; the rest have no linear-time JavaScript form. */
function groupOpen(p: string, i: number): Piece {
  if (p[i + 1] !== '?') return { text: '(', next: i + 1 };
  const rest = p.slice(i + 2);
  if (rest.startsWith('P<')) {
    const end = p.indexOf('>', i);
    return { text: `(?<${p.slice(i + 4, end)}>`, next: end + 1 };
  }
  if (rest.startsWith('P=')) return unsupported('backreferences');
  if (rest.startsWith('#')) return { text: '', next: p.indexOf(')', i) + 1 };
  if (rest.startsWith('>')) return unsupported('atomic groups');
  if (rest.startsWith('(')) return unsupported('conditional groups');
  const header = /^(?::|=|!|<=|<!)/.exec(rest);
  return header
    ? { text: `(?${header[0]}`, next: i + 2 + header[0].length }
    : unsupported('scoped inline flags');
}

function topEscape(p: string, i: number, ignoreCase: boolean): Piece {
  const letter = p[i + 1];
  if (letter === 'A') return { text: '^', next: i + 2 };
  // Without the m flag JavaScript's `$` is the end of the input, Python's `\Z`.
  if (letter === 'Z') return { text: '$', next: i + 2 };
  if ('bBdDsSwW'.includes(letter)) return { text: `\\${letter}`, next: i + 2 };
  if (letter >= '1' && letter <= '9' && !/^[0-3][0-7]{2}/.test(p.slice(i + 1))) {
    return unsupported('backreferences');
  }
  const code = escapedCode(p, i);
  if ('unsupported' in code) return code;
  return { text: literal(code.code, ignoreCase), next: code.next };
}

/** The character a one-character escape stands for (Python `re` escapes; any other symbol is itself). */
function escapedCode(
  p: string,
  i: number,
): Readonly<{ code: number; next: number }> | Readonly<{ unsupported: string }> {
  const letter = p[i + 1];
  if (letter === 'x') return { code: Number.parseInt(p.slice(i + 2, i + 4), 16), next: i + 4 };
  if (letter === 'u') {
    const hex = /^[0-9a-fA-F]{4}/.exec(p.slice(i + 2));
    return hex ? { code: Number.parseInt(hex[0], 16), next: i + 6 } : unsupported('an incomplete \\u escape');
  }
  if (letter === 'U' || letter === 'N') return unsupported(`\\${letter} escapes`);
  if (letter >= '0' && letter <= '7') {
    const octal = /^[0-7]{1,3}/.exec(p.slice(i + 1))?.[0] ?? '0';
    return { code: Number.parseInt(octal, 8), next: i + 1 + octal.length };
  }
  if (letter in CHARACTER_ESCAPES) return { code: CHARACTER_ESCAPES[letter], next: i + 2 };
  if (letter === '8' || letter === '9') return unsupported('backreferences');
  return { code: p.charCodeAt(i + 1), next: i + 2 };
}

/**
 * A Python set (`]` first is a member, `a-]` ends with a `-` member) as a JavaScript class whose members are
 * all written as escapes, so no character keeps a meaning JavaScript gives it and Python does not.
 */
function characterSet(p: string, start: number, ignoreCase: boolean): Piece {
  const negated = p[start + 1] === '^';
  let i = start + (negated ? 2 : 1);
  const members: SetMember[] = [];
  for (let first = true; i < p.length && (first || p[i] !== ']'); first = false) {
    const low = setMember(p, i);
    if ('unsupported' in low) return low;
    i = low.next;
    if (p[i] === '-' && p[i + 1] !== ']' && i + 1 < p.length && 'code' in low.member) {
      const high = setMember(p, i + 1);
      if ('unsupported' in high) return high;
      if (!('code' in high.member)) return unsupported('a range ending in a class');
      members.push({ low: low.member.code, high: high.member.code });
      i = high.next;
    } else {
      members.push('code' in low.member ? { low: low.member.code, high: low.member.code } : low.member);
    }
  }
  const folded = ignoreCase ? members.flatMap(swappedCase) : [];
  const body = [...members, ...folded].map(memberText).join('');
  return { text: `[${negated ? '^' : ''}${body}]`, next: i + 1 };
}

type ParsedMember = Readonly<{
  member: Readonly<{ code: number }> | Readonly<{ escape: string }>;
  next: number;
}>;

function setMember(p: string, i: number): ParsedMember | Readonly<{ unsupported: string }> {
  if (p[i] !== '\\') return { member: { code: p.charCodeAt(i) }, next: i + 1 };
  const letter = p[i + 1];
  if ('dDsSwW'.includes(letter)) return { member: { escape: `\\${letter}` }, next: i + 2 };
  if (letter === 'b') return { member: { code: 8 }, next: i + 2 }; // backspace inside a set, in both
  const code = escapedCode(p, i);
  return 'unsupported' in code ? code : { member: { code: code.code }, next: code.next };
}

/** The other case of the ASCII letters in a range, as ranges (PCRE's default tables fold ASCII only). */
function swappedCase(member: SetMember): SetMember[] {
  if (!('low' in member)) return [];
  const swapped: SetMember[] = [];
  for (const [from, to, shift] of [
    [65, 90, 32],
    [97, 122, -32],
  ] as const) {
    const low = Math.max(member.low, from);
    const high = Math.min(member.high, to);
    if (low <= high) swapped.push({ low: low + shift, high: high + shift });
  }
  return swapped;
}

const memberText = (m: SetMember): string =>
  'escape' in m
    ? m.escape
    : m.low === m.high
      ? codeEscape(m.low)
      : `${codeEscape(m.low)}-${codeEscape(m.high)}`;

/** One character as JavaScript source: a letter folds to `[aA]` when case-insensitive. */
function literal(code: number, ignoreCase: boolean, text = codeEscape(code)): string {
  const folded = swappedCase({ low: code, high: code });
  if (ignoreCase && folded.length > 0) return `[${codeEscape(code)}${memberText(folded[0])}]`;
  return /^[\w/ !"#%&',:;<=>@`~-]$/.test(text) ? text : codeEscape(code);
}

/**
 * `\xHH` or `\uHHHH`: a character no JavaScript syntax can misread. Patterns are read as UTF-16 code units
 * (no `u` flag: the linear engine runs none); samples come from latin1-decoded request heads, so a character
 * beyond U+FFFF, a surrogate pair here, matches in neither Python nor JavaScript.
 */
function codeEscape(code: number): string {
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
