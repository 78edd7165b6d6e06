// The worst-case work of a listener's L7 regexes per request, as a count of NFA positions. V8's linear engine
// keeps at most one thread per position and steps every live one for each input character, so a request
// costs at most positions × sample length steps (https://v8.dev/blog/non-backtracking-regexp).

/**
 * Positions of a regex in the JavaScript source l7-regex.ts compiles (python-regex-translation.ts output):
 * one per character, set or `.`, alternatives added up, a counted repeat `{n,m}` copying its operand
 * max(n, m) times (the engine unrolls it) and `*` `+` `?` adding nothing. An upper bound, not exact.
 */
export function regexPositions(source: string): number {
  const groups: number[][] = [[0]]; // per open group: its alternatives' weights so far
  let last = 0; // the weight of the atom a following quantifier repeats
  let i = 0;
  const add = (weight: number) => {
    const branches = groups[groups.length - 1];
    branches[branches.length - 1] += weight;
    last = weight;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      add('bB'.includes(source[i + 1]) ? 0 : 1);
      i += source[i + 1] === 'x' ? 4 : source[i + 1] === 'u' ? 6 : 2;
    } else if (c === '[') {
      let end = i + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      add(1);
      i = end + 1;
    } else if (c === '(') {
      groups.push([0]);
      const header = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_]\w*>)/.exec(source.slice(i));
      i += header ? header[0].length : 1;
    } else if (c === ')') {
      const branches = groups.pop() ?? [0];
      add(branches.reduce((sum, weight) => sum + weight, 0));
      i += 1;
    } else if (c === '|') {
      groups[groups.length - 1].push(0);
      i += 1;
    } else if (c === '{') {
      const braces = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i));
      const count = braces ? Math.max(Number(braces[1]), Number(braces[2] || 0), 1) : 1;
      add(last * (count - 1)); // the operand already counted once
      i += braces ? braces[0].length : 1;
    } else if ('*+?^$'.includes(c)) {
      i += 1;
    } else {
      add(1);
      i += 1;
    }
  }
  return groups[0].reduce((sum, weight) => sum + weight, 0);
}
