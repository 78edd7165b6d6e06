// Injection: every tenant string that reaches haproxy.cfg gets newlines, quotes, `#`, spaces and backslashes. The
// rendered file must read back (HAProxy manual §2.2 word splitting) as exactly the benign render with the value
// in place of the placeholder, and pass `haproxy -c`; or the document is refused with a reason naming the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { RenderRefusal } from './config-quoting.ts';
import {
  haproxyCheck,
  listener,
  loadBalancer,
  member,
  monitor,
  policy,
  pool,
  rule,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';
import { renderHaproxyConfig } from './render-config.ts';
import { unsupportedOptions } from './unsupported-options.ts';

const PAYLOADS = [
  'a\nserver evil 192.0.2.66:80',
  'x\r\nhttp-request deny',
  'say "hi"',
  "it's",
  'a#comment',
  'two words',
  'back\\slash\\',
  '-f /etc/passwd',
  '100%[src]',
];
const PLACEHOLDER = 'BENIGNVALUE';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-haproxy-injection-'));
const stateFile = path.join(dir, 'servers-state');
fs.writeFileSync(stateFile, '1\n');
const paths = {
  statsSocket: path.join(dir, 'stats.sock'),
  serverStateFile: stateFile,
  pingScript: '/bin/true',
  tlsDir: '/nonexistent/tls',
  metricsSocket: '/nonexistent/metrics.sock',
};

/** Splits one config line into words the way HAProxy's parser does (manual §2.2); `#` outside quotes ends it. */
export function configWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const push = (text: string) => {
    word = (word ?? '') + text;
  };
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else push(ch);
    } else if (ch === '\\' && i + 1 < line.length) {
      const next = line[++i];
      if (next === 'x') {
        push(String.fromCharCode(Number.parseInt(line.slice(i + 1, i + 3), 16)));
        i += 2;
      } else push({ n: '\n', r: '\r', t: '\t' }[next] ?? next);
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else push(ch);
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      push('');
    } else if (ch === '#') break;
    else if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else push(ch);
  }
  if (word !== undefined) words.push(word);
  return words;
}

const parse = (text: string) =>
  text
    .split('\n')
    .map(configWords)
    .filter((words) => words.length > 0);

type Field = Readonly<{ name: string; build: (value: string) => DesiredLoadBalancer }>;

const served = (extra: Parameters<typeof listener>[2] = {}, poolExtra: Parameters<typeof pool>[2] = {}) =>
  loadBalancer(
    'lb-1',
    '127.0.0.1',
    [listener('l1', 80, { defaultPoolId: 'p1', ...extra })],
    [pool('p1', [member('m1', '127.0.0.2', 8080)], poolExtra)],
  );
const withRule = (extra: Parameters<typeof rule>[1]) =>
  served({ l7policies: [policy('pol', [rule('r1', extra)], { action: 'REJECT' })] });

const FIELDS: Field[] = [
  ...['HOST_NAME', 'PATH', 'FILE_TYPE'].map((type) => ({
    name: `L7 ${type} rule value`,
    build: (value: string) => withRule({ type, compareType: 'EQUAL_TO', value }),
  })),
  { name: 'L7 HEADER rule value', build: (value) => withRule({ type: 'HEADER', key: 'X-A', value }) },
  { name: 'L7 COOKIE rule value', build: (value) => withRule({ type: 'COOKIE', key: 'c', value }) },
  { name: 'L7 REGEX rule value', build: (value) => withRule({ compareType: 'REGEX', value }) },
  { name: 'L7 HEADER rule key', build: (key) => withRule({ type: 'HEADER', key, value: 'v' }) },
  { name: 'L7 COOKIE rule key', build: (key) => withRule({ type: 'COOKIE', key, value: 'v' }) },
  {
    name: 'redirect_url',
    build: (value) =>
      served({
        l7policies: [
          policy('pol', [rule('r1')], {
            action: 'REDIRECT_TO_URL',
            redirectUrl: `https://h.example/${value}`,
          }),
        ],
      }),
  },
  {
    name: 'redirect_prefix',
    build: (value) =>
      served({
        l7policies: [
          policy('pol', [rule('r1')], {
            action: 'REDIRECT_PREFIX',
            redirectPrefix: `https://h.example/${value}`,
          }),
        ],
      }),
  },
  {
    name: 'session_persistence cookie_name',
    build: (cookieName) =>
      served(
        {},
        {
          sessionPersistence: {
            type: 'APP_COOKIE',
            cookieName,
            persistenceTimeout: null,
            persistenceGranularity: null,
          },
        },
      ),
  },
  {
    name: 'health monitor url_path',
    build: (v) => served({}, { healthMonitor: monitor('hm', { urlPath: `/${v}` }) }),
  },
  {
    name: 'health monitor domain_name',
    build: (v) => served({}, { healthMonitor: monitor('hm', { httpVersion: 1.1, domainName: v }) }),
  },
  {
    name: 'health monitor http_method',
    build: (v) => served({}, { healthMonitor: monitor('hm', { httpMethod: v }) }),
  },
  {
    name: 'health monitor expected_codes',
    build: (v) => served({}, { healthMonitor: monitor('hm', { expectedCodes: v }) }),
  },
  { name: 'insert_headers value', build: (v) => served({ insertHeaders: { 'X-Forwarded-For': v } }) },
  { name: 'listener id', build: (id) => loadBalancer('lb-1', '127.0.0.1', [listener(id, 80)], []) },
  { name: 'member id', build: (id) => served({}, { members: [member(id, '127.0.0.2', 8080)] }) },
  { name: 'member address', build: (address) => served({}, { members: [member('m1', address, 8080)] }) },
  { name: 'allowed_cidrs entry', build: (value) => served({ allowedCidrs: [value] }) },
];

describe('haproxy config injection', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const field of FIELDS) {
    it(`writes the ${field.name} as exactly one word or refuses it with a reason`, {
      skip: skipWithoutHaproxy,
    }, () => {
      for (const payload of PAYLOADS) {
        const doc = field.build(payload);
        let text: string;
        try {
          text = renderHaproxyConfig(doc, { paths });
        } catch (error) {
          assert.ok(error instanceof RenderRefusal, `${field.name}: ${String(error)}`);
          const reasons = unsupportedOptions(doc);
          assert.equal(reasons.length, 1, `${field.name} ${JSON.stringify(payload)}: ${reasons.join(' | ')}`);
          continue;
        }
        // The value may not render at all (insert_headers values only switch a header on).
        const benign = renderHaproxyConfig(field.build(PLACEHOLDER), { paths });
        const wanted = parse(benign).map((words) => words.map((w) => w.replaceAll(PLACEHOLDER, payload)));
        assert.deepEqual(parse(text), wanted, `${field.name} ${JSON.stringify(payload)}:\n${text}`);
        const file = path.join(dir, 'candidate.cfg');
        fs.writeFileSync(file, text);
        const check = haproxyCheck(file);
        assert.ok(check.ok, `${field.name} ${JSON.stringify(payload)}: ${check.output}`);
      }
    });
  }

  it('escapes a value so that the reading back gives the same characters', () => {
    const value = 'a b#c"d\'e\\f\ng\th\x01';
    const text = renderHaproxyConfig(withRule({ value }), { paths });
    const acl = parse(text).find((words) => words[0] === 'acl');
    assert.deepEqual(acl, ['acl', 'r1', 'path', '-m', 'beg', '--', value]);
  });

  it('refuses a redirect URL carrying a newline, naming the field', () => {
    const doc = served({
      l7policies: [
        policy('pol', [rule('r1')], {
          action: 'REDIRECT_TO_URL',
          redirectUrl: 'https://a.example/\r\nSet-Cookie: x=1',
        }),
      ],
    });
    assert.deepEqual(unsupportedOptions(doc), [
      'L7 policy redirect_url contains a space or control character',
    ]);
  });
});
