// The consistency rules of an L7 rule (reference §8.2, Octavia's validate.l7rule_data): which key and compare
// type each rule type takes and which characters its value may hold, plus a check that a REGEX value parses
// under Python's `re` rules with Python's error wording (HAProxy gets the regex; Octavia validates it so).

/** The fields the rules look at; `value` is null only when a PUT tries to clear it. */
export type L7RuleFields = Readonly<{
  type: string;
  compareType: string;
  key: string | null;
  value: string | null;
}>;

// Octavia's constants, \A…\Z anchors as ^…$ (JavaScript's $ without the m flag is the end of input).
const HEADER_NAME = /^[a-zA-Z0-9!#$%&'*+-.^_`|~]+$/;
const COOKIE_VALUE = /^[a-zA-Z0-9!#$%&'()*+-./:<=>?@[\]^_`{|}~]+$/;
/** HTTP_HEADER_VALUE_REGEX lists every printable ASCII character but space. */
const HEADER_VALUE = /^[\x21-\x7e]+$/;
const QUOTED_HEADER_VALUE = /^"[\x20-\x7e\t]*"$/;
const DN_FIELD = /^([a-zA-Z][A-Za-z0-9-]*)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
const CONTROL = /[\x00-\x1f\x7f]/;
/** What Python 3.11 says when re.match gets None (a PUT that nulls the value). */
const NONE_NOT_STRING = "expected string or bytes-like object, got 'NoneType'";

/** The text Octavia puts after `Error parsing L7Rule: `, or undefined when the rule is consistent. */
export function l7RuleProblem(rule: L7RuleFields): string | undefined {
  const { type, compareType, key, value } = rule;
  const regex = compareType === 'REGEX';
  switch (type) {
    case 'HEADER':
    case 'COOKIE': {
      if (!key) return 'Invalid L7 Rule: L7 rule type requires a key';
      if (!HEADER_NAME.test(key)) return 'Invalid characters in key';
      if (regex) return regexProblem(value);
      if (value === null) return NONE_NOT_STRING;
      if (type === 'HEADER') return headerValueProblem(value, 'header value');
      return COOKIE_VALUE.test(value) ? undefined : 'Invalid characters in cookie value';
    }
    case 'HOST_NAME':
    case 'PATH':
    case 'FILE_TYPE':
      if (regex) return regexProblem(value);
      if (type === 'FILE_TYPE' && compareType !== 'EQUAL_TO') {
        return 'Invalid L7 Rule: invalid comparison type for rule type';
      }
      return value === null ? NONE_NOT_STRING : headerValueProblem(value, 'comparison value');
    case 'SSL_CONN_HAS_CERT':
    case 'SSL_VERIFY_RESULT':
      return sslProblem(type, compareType, key, value);
    case 'SSL_DN_FIELD': {
      const invalidRegex = regex ? regexProblem(value) : undefined;
      if (invalidRegex) return invalidRegex;
      if (!key || !value) return `Invalid L7 Rule: L7rule type ${type} needs to specify a key and a value.`;
      return DN_FIELD.test(key) ? undefined : 'Invalid L7 Rule: Invalid L7rule distinguished name field.';
    }
    default:
      return 'Invalid L7 Rule: invalid rule type';
  }
}

const headerValueProblem = (value: string, what: string): string | undefined =>
  HEADER_VALUE.test(value) || QUOTED_HEADER_VALUE.test(value) ? undefined : `Invalid characters in ${what}`;

/** SSL_CONN_HAS_CERT takes `true`, SSL_VERIFY_RESULT a non-negative integer; neither a key; EQUAL_TO only. */
function sslProblem(type: string, compareType: string, key: string | null, value: string | null) {
  if (key) return `Invalid L7 Rule: L7rule type ${type} does not use the "key" field.`;
  if (value === null) {
    const method = type === 'SSL_CONN_HAS_CERT' ? 'lower' : 'isdigit';
    return `'NoneType' object has no attribute '${method}'`;
  }
  if (type === 'SSL_CONN_HAS_CERT' && value.toLowerCase() !== 'true') {
    return `Invalid L7 Rule: L7rule value ${value} is not a boolean True string.`;
  }
  if (type === 'SSL_VERIFY_RESULT' && !/^[0-9]+$/.test(value)) {
    return `Invalid L7 Rule: L7rule type ${type} needs a int value, which is >= 0`;
  }
  if (compareType !== 'EQUAL_TO')
    return `Invalid L7 Rule: L7rule type ${type} only supports the EQUAL_TO compare type.`;
  return undefined;
}

function regexProblem(value: string | null): string | undefined {
  if (value === null)
    return 'Unable to parse regular expression: first argument must be string or compiled pattern';
  // [deb12u1] control characters in a regex could break out of the rendered HAProxy line.
  if (CONTROL.test(value)) return 'Unable to parse regular expression: control characters are not allowed';
  const error = pythonRegexError(value);
  return error && `Unable to parse regular expression: ${error}`;
}

const TOP_ESCAPES = 'AbBdDsSwWZafnrtvxuUN';
const SET_ESCAPES = 'abfnrtvdDsSwWxuUN';
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/** The first error Python 3.11's sre_parse reports for `p` (its wording and position), or undefined. */
export function pythonRegexError(p: string): string | undefined {
  const open: number[] = [];
  // the last item: nothing repeatable (start, `|`, `(`, an anchor), an atom, or a repeat
  let last: 'none' | 'atom' | 'repeat' = 'none';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const error = escapeError(p, i, TOP_ESCAPES);
      if (error) return error;
      last = 'AbBZ'.includes(p[i + 1]) ? 'none' : 'atom';
      i += escapeLength(p, i) - 1;
    } else if (c === '[') {
      const end = setEnd(p, i);
      if (typeof end === 'string') return end;
      i = end;
      last = 'atom';
    } else if (c === '(') {
      const header = groupHeader(p, i);
      if (typeof header === 'string') return header;
      if (header.kind === 'group') open.push(i);
      if (header.kind !== 'skip') last = header.kind === 'atom' ? 'atom' : 'none';
      i = header.next - 1;
    } else if (c === ')') {
      if (open.pop() === undefined) return `unbalanced parenthesis at position ${i}`;
      last = 'atom';
    } else if (c === '|' || c === '^' || c === '$') {
      last = 'none';
    } else if ('*+?'.includes(c) || (c === '{' && p[i + 1] !== '}' && /^\{\d*(,\d*)?\}/.test(p.slice(i)))) {
      if (last === 'none') return `nothing to repeat at position ${i}`;
      if (last === 'repeat') return `multiple repeat at position ${i}`;
      const braces = /^\{(\d*)(?:,(\d*))?\}/.exec(p.slice(i));
      if (braces?.[1] && braces[2] && Number(braces[2]) < Number(braces[1])) {
        return `min repeat greater than max repeat at position ${i + 1}`;
      }
      i += braces ? braces[0].length - 1 : 0;
      if (p[i + 1] === '?' || p[i + 1] === '+') i += 1; // lazy or possessive: part of this repeat
      last = 'repeat';
    } else {
      last = 'atom';
    }
  }
  const unclosed = open.pop();
  return unclosed === undefined ? undefined : `missing ), unterminated subpattern at position ${unclosed}`;
}

function escapeError(p: string, i: number, valid: string): string | undefined {
  const next = p[i + 1];
  if (next === undefined) return `bad escape (end of pattern) at position ${i}`;
  if (next === 'x' && !/^[0-9a-fA-F]{2}/.test(p.slice(i + 2))) {
    return `incomplete escape \\x${/^[0-9a-fA-F]?/.exec(p.slice(i + 2))?.[0] ?? ''} at position ${i}`;
  }
  return /[A-Za-z]/.test(next) && !valid.includes(next) ? `bad escape \\${next} at position ${i}` : undefined;
}

const escapeLength = (p: string, i: number): number => (p[i + 1] === 'x' ? 4 : 2);

/** One member of a character set at `i`: its text, its code point (null for a class like \d), its length. */
function setItem(p: string, i: number): { text: string; code: number | null } | string {
  if (p[i] !== '\\') return { text: p[i], code: p.codePointAt(i) ?? null };
  const error = escapeError(p, i, SET_ESCAPES);
  if (error) return error;
  const text = p.slice(i, i + escapeLength(p, i));
  const letter = p[i + 1];
  if ('dDsSwW'.includes(letter)) return { text, code: null };
  if (letter === 'x') return { text, code: Number.parseInt(text.slice(2), 16) };
  return { text, code: CONTROL_ESCAPES[letter] ?? letter.codePointAt(0) ?? null };
}

/** Index of the `]` closing the set opened at `start` (a `]` first in the set is literal), or the error. */
function setEnd(p: string, start: number): number | string {
  let i = start + (p[start + 1] === '^' ? 2 : 1);
  for (let first = true; i < p.length; first = false) {
    if (p[i] === ']' && !first) return i;
    const low = setItem(p, i);
    if (typeof low === 'string') return low;
    const lowAt = i;
    i += low.text.length;
    if (p[i] !== '-' || i + 1 >= p.length) continue;
    if (p[i + 1] === ']') return i + 1;
    const high = setItem(p, i + 1);
    if (typeof high === 'string') return high;
    if (low.code === null || high.code === null || high.code < low.code) {
      return `bad character range ${low.text}-${high.text} at position ${lowAt}`;
    }
    i += 1 + high.text.length;
  }
  return `unterminated character set at position ${start}`;
}

type GroupHeader = { next: number; kind: 'group' | 'atom' | 'flags' | 'skip' };

/** After `(` at `at`: where its body starts and what it is (group, backreference, flags, comment), or the error. */
function groupHeader(p: string, at: number): GroupHeader | string {
  if (p[at + 1] !== '?') return { next: at + 1, kind: 'group' };
  const c = p[at + 2];
  if (c !== undefined && ':=!>('.includes(c)) return { next: at + 3, kind: 'group' };
  if (c === '<') {
    if (p[at + 3] === '=' || p[at + 3] === '!') return { next: at + 4, kind: 'group' };
    return `unknown extension ?<${p[at + 3] ?? ''} at position ${at + 1}`;
  }
  if (c === undefined) return `unexpected end of pattern at position ${at + 2}`;
  if (c === 'P') return namedGroup(p, at);
  if (c === '#') {
    const end = p.indexOf(')', at);
    return end < 0 ? `missing ), unterminated comment at position ${at}` : { next: end + 1, kind: 'skip' };
  }
  const letters = /^[aiLmsux]*(?:-[imsx]+)?/.exec(p.slice(at + 2))?.[0] ?? '';
  const after = at + 2 + letters.length;
  const next = p[after];
  if (letters === '') return `unknown extension ?${c} at position ${at + 1}`;
  if (next === undefined) return `missing -, : or ) at position ${after}`;
  if (next !== ':' && next !== ')') {
    return `${/[A-Za-z]/.test(next) ? 'unknown flag' : 'missing -, : or )'} at position ${after}`;
  }
  if (next === ':') return { next: after + 1, kind: 'group' };
  // Python 3.11 refuses global flags anywhere but at the very start.
  if (!/^(\(\?[aiLmsux]+\))*$/.test(p.slice(0, at))) {
    return `global flags not at the start of the expression at position ${at}`;
  }
  return { next: after + 1, kind: 'flags' };
}

/** `(?P<name>` opens a named group, `(?P=name)` refers back to one; names must be identifiers. */
function namedGroup(p: string, at: number): GroupHeader | string {
  const opener = p[at + 3];
  if (opener !== '<' && opener !== '=') return `unknown extension ?P${opener ?? ''} at position ${at + 1}`;
  const close = opener === '<' ? '>' : ')';
  const end = p.indexOf(close, at + 4);
  if (end < 0) return `missing ${close}, unterminated name at position ${at + 4}`;
  const name = p.slice(at + 4, end);
  if (name === '') return `missing group name at position ${at + 4}`;
  if (!/^[A-Za-z_]\w*$/.test(name)) return `bad character in group name '${name}' at position ${at + 4}`;
  return { next: end + 1, kind: opener === '<' ? 'group' : 'atom' };
}
