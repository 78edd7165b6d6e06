// The corpus of the HTTP/1.1 differential test: request and response byte sequences that probe framing
// (request smuggling CL.TE / TE.CL / TE.TE, duplicate and conflicting Content-Length, Transfer-Encoding
// obfuscations, chunk syntax) and head syntax (obs-fold, NUL, bare CR and LF, whitespace, sizes, forms).

export type Vector = Readonly<{ name: string; bytes: string }>;

/** A head from its lines: CRLF after each, then the empty line. */
const head = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const get = (path = '/') => head(`GET ${path} HTTP/1.1`, 'Host: a.example');
const post = (...fields: string[]) => head('POST /p HTTP/1.1', 'Host: a.example', ...fields);
const SMUGGLED = get('/smuggled');

export const REQUEST_VECTORS: readonly Vector[] = [
  { name: 'plain GET', bytes: get() },
  { name: 'two pipelined GETs', bytes: get('/1') + get('/2') },
  { name: 'POST with Content-Length', bytes: `${post('Content-Length: 5')}hello` },
  {
    name: 'POST chunked with extension and trailer',
    bytes: `${post('Transfer-Encoding: chunked')}5;a="b c"\r\nhello\r\n0\r\nT: 1\r\n\r\n`,
  },
  { name: 'body then pipelined GET', bytes: `${post('Content-Length: 5')}hello${get('/2')}` },
  { name: 'GET with a body', bytes: `${head('GET / HTTP/1.1', 'Host: a.example', 'Content-Length: 3')}abc` },
  // Request smuggling: the two framings disagree and a second request hides in the body.
  { name: 'CL.TE', bytes: `${post('Content-Length: 6', 'Transfer-Encoding: chunked')}0\r\n\r\nX${SMUGGLED}` },
  {
    name: 'TE.CL',
    bytes: `${post('Transfer-Encoding: chunked', 'Content-Length: 3')}1e\r\n${SMUGGLED}\r\n0\r\n\r\n`,
  },
  { name: 'TE.TE xchunked', bytes: `${post('Transfer-Encoding: xchunked', 'Content-Length: 5')}hello` },
  {
    name: 'TE.TE two fields, last not chunked',
    bytes: `${post('Transfer-Encoding: chunked', 'Transfer-Encoding: x')}0\r\n\r\n`,
  },
  {
    name: 'TE.TE space before colon',
    bytes: `${post('Transfer-Encoding : chunked', 'Content-Length: 5')}0\r\n\r\n`,
  },
  { name: 'TE.TE tab value', bytes: `${post('Transfer-Encoding:\tchunked')}0\r\n\r\n` },
  { name: 'TE.TE upper case', bytes: `${post('Transfer-Encoding: CHUNKED')}0\r\n\r\n` },
  {
    name: 'TE.TE vertical tab',
    bytes: `${post('Transfer-Encoding: \x0bchunked', 'Content-Length: 5')}0\r\n\r\n`,
  },
  { name: 'TE.TE chunked, identity', bytes: `${post('Transfer-Encoding: chunked, identity')}0\r\n\r\n` },
  { name: 'TE.TE chunked twice', bytes: `${post('Transfer-Encoding: chunked, chunked')}0\r\n\r\n` },
  {
    name: 'TE.TE obs-fold',
    bytes: `${post('Transfer-Encoding:', ' chunked', 'Content-Length: 5')}0\r\n\r\n`,
  },
  { name: 'empty TE with CL', bytes: `${post('Transfer-Encoding:', 'Content-Length: 3')}abc` },
  { name: 'comma TE with CL', bytes: `${post('Transfer-Encoding: ,', 'Content-Length: 3')}abc` },
  { name: 'TE ",chunked"', bytes: `${post('Transfer-Encoding: ,chunked')}3\r\nabc\r\n0\r\n\r\n` },
  { name: 'TE in HTTP/1.0', bytes: `${head('POST / HTTP/1.0', 'Transfer-Encoding: chunked')}0\r\n\r\n` },
  // Content-Length repeats and syntax (RFC 9110 §8.6).
  { name: 'identical CL lines', bytes: `${post('Content-Length: 3', 'Content-Length: 3')}abc` },
  { name: 'identical CL list', bytes: `${post('Content-Length: 3, 3')}abc` },
  { name: 'conflicting CL', bytes: `${post('Content-Length: 3', 'Content-Length: 4')}abcd` },
  { name: 'CL with sign', bytes: `${post('Content-Length: +3')}abc` },
  { name: 'CL with inner space', bytes: `${post('Content-Length: 1 3')}abc` },
  { name: 'CL hex', bytes: `${post('Content-Length: 0x3')}abc` },
  // Chunk syntax (RFC 9112 §7.1).
  { name: 'chunk size not hex', bytes: `${post('Transfer-Encoding: chunked')}g\r\nabc\r\n0\r\n\r\n` },
  { name: 'chunk size 0x prefix', bytes: `${post('Transfer-Encoding: chunked')}0x3\r\nabc\r\n0\r\n\r\n` },
  {
    name: 'chunk size overflow',
    bytes: `${post('Transfer-Encoding: chunked')}10000000000000003\r\nabc\r\n0\r\n\r\n`,
  },
  { name: 'chunk size leading space', bytes: `${post('Transfer-Encoding: chunked')} 3\r\nabc\r\n0\r\n\r\n` },
  {
    name: 'chunk data longer than size',
    bytes: `${post('Transfer-Encoding: chunked')}3\r\nabcd\r\n0\r\n\r\n`,
  },
  { name: 'chunk lines with bare LF', bytes: `${post('Transfer-Encoding: chunked')}3\nabc\n0\n\n` },
  {
    name: 'chunk extension with bare CR',
    bytes: `${post('Transfer-Encoding: chunked')}3;x\ry\r\nabc\r\n0\r\n\r\n`,
  },
  // Head syntax.
  { name: 'obs-fold', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'X-A: 1', ' 2') },
  { name: 'NUL in a field value', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'X-A: a\0b') },
  { name: 'NUL in the target', bytes: head('GET /a\0b HTTP/1.1', 'Host: a.example') },
  { name: 'bare CR in a field value', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'X-A: a\rb') },
  { name: 'bare LF line ends', bytes: 'GET / HTTP/1.1\nHost: a.example\n\n' },
  { name: 'space before colon', bytes: head('GET / HTTP/1.1', 'Host : a.example') },
  { name: 'space inside a field name', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'X A: b') },
  {
    name: 'field line starting the head with whitespace',
    bytes: head('GET / HTTP/1.1', ' X: a', 'Host: a.example'),
  },
  {
    name: 'huge field value',
    bytes: head('GET / HTTP/1.1', 'Host: a.example', `X-Big: ${'a'.repeat(20000)}`),
  },
  {
    name: 'many repeated fields',
    bytes: head('GET / HTTP/1.1', 'Host: a.example', ...Array(150).fill('X-R: r')),
  },
  { name: 'no Host in HTTP/1.1', bytes: head('GET / HTTP/1.1') },
  { name: 'two identical Hosts', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'Host: a.example') },
  { name: 'two different Hosts', bytes: head('GET / HTTP/1.1', 'Host: a.example', 'Host: b.example') },
  { name: 'two spaces in the request line', bytes: head('GET  / HTTP/1.1', 'Host: a.example') },
  { name: 'HTTP/2.0 request line', bytes: head('GET / HTTP/2.0', 'Host: a.example') },
  { name: 'leading empty line', bytes: `\r\n${get()}` },
  // Request-target forms (RFC 9112 §3.2).
  { name: 'absolute-form, same Host', bytes: head('GET http://a.example/x HTTP/1.1', 'Host: a.example') },
  { name: 'absolute-form, other Host', bytes: head('GET http://b.example/x HTTP/1.1', 'Host: a.example') },
  {
    name: 'absolute-form with userinfo',
    bytes: head('GET http://u@a.example/x HTTP/1.1', 'Host: a.example'),
  },
  // HTTP/1.0.
  {
    name: 'HTTP/1.0 keep-alive, two requests',
    bytes:
      head('GET /1 HTTP/1.0', 'Connection: keep-alive') + head('GET /2 HTTP/1.0', 'Connection: keep-alive'),
  },
  {
    name: 'HTTP/1.0 without keep-alive, then more',
    bytes: head('GET /1 HTTP/1.0') + head('GET /2 HTTP/1.0'),
  },
];

const status = (...lines: string[]) => head('HTTP/1.1 200 OK', ...lines);

export const RESPONSE_VECTORS: readonly Vector[] = [
  { name: 'Content-Length', bytes: `${status('Content-Length: 2')}ok` },
  { name: 'chunked', bytes: `${status('Transfer-Encoding: chunked')}2\r\nok\r\n0\r\n\r\n` },
  {
    name: 'chunked with extension and trailer',
    bytes: `${status('Transfer-Encoding: chunked')}2;x=y\r\nok\r\n0\r\nT: 1\r\n\r\n`,
  },
  { name: 'until close', bytes: `${status()}until close` },
  { name: 'TE gzip', bytes: `${status('Transfer-Encoding: gzip')}abc` },
  { name: 'empty TE with CL', bytes: `${status('Transfer-Encoding:', 'Content-Length: 2')}ok` },
  {
    name: 'TE chunked with CL',
    bytes: `${status('Transfer-Encoding: chunked', 'Content-Length: 2')}2\r\nok\r\n0\r\n\r\n`,
  },
  {
    name: 'TE space before colon with CL',
    bytes: `${status('Transfer-Encoding : chunked', 'Content-Length: 2')}ok`,
  },
  { name: 'identical CL lines', bytes: `${status('Content-Length: 2', 'Content-Length: 2')}ok` },
  { name: 'identical CL list', bytes: `${status('Content-Length: 2, 2')}ok` },
  { name: 'conflicting CL', bytes: `${status('Content-Length: 2', 'Content-Length: 3')}ok!` },
  { name: 'bad chunk size', bytes: `${status('Transfer-Encoding: chunked')}g\r\nok\r\n0\r\n\r\n` },
  {
    name: 'chunk data longer than size',
    bytes: `${status('Transfer-Encoding: chunked')}2\r\nokX\r\n0\r\n\r\n`,
  },
  {
    name: 'chunk size overflow',
    bytes: `${status('Transfer-Encoding: chunked')}10000000000000002\r\nok\r\n0\r\n\r\n`,
  },
  { name: 'chunk lines with bare LF', bytes: `${status('Transfer-Encoding: chunked')}2\nok\n0\n\n` },
  { name: 'truncated Content-Length body', bytes: `${status('Content-Length: 10')}short` },
  { name: 'truncated chunked body', bytes: `${status('Transfer-Encoding: chunked')}a\r\nshort` },
  {
    name: 'response splitting after the body',
    bytes: `${status('Content-Length: 2')}ok${status('Content-Length: 4')}evil`,
  },
  { name: 'obs-fold', bytes: `${status('Content-Length: 2', 'X-A: 1', ' 2')}ok` },
  { name: 'NUL in a field value', bytes: `${status('Content-Length: 2', 'X-A: a\0b')}ok` },
  { name: 'bare CR in a field value', bytes: `${status('Content-Length: 2', 'X-A: a\rb')}ok` },
  { name: 'bare LF line ends', bytes: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok' },
  {
    name: 'TE chunked in HTTP/1.0',
    bytes: `${head('HTTP/1.0 200 OK', 'Transfer-Encoding: chunked')}2\r\nok\r\n0\r\n\r\n`,
  },
  { name: '100 Continue then 200', bytes: `HTTP/1.1 100 Continue\r\n\r\n${status('Content-Length: 2')}ok` },
  { name: '204 with Content-Length', bytes: head('HTTP/1.1 204 No Content', 'Content-Length: 5') },
  { name: 'huge field value', bytes: `${status('Content-Length: 2', `X-Big: ${'a'.repeat(20000)}`)}ok` },
  { name: 'status of four digits', bytes: `${head('HTTP/1.1 2000 OK', 'Content-Length: 2')}ok` },
];
