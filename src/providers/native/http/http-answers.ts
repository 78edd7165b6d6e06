// The responses the proxy writes itself, as raw HTTP/1.1 bytes: HAProxy's small error pages (400, 403,
// 502, 503, 504, from its default errorfiles) and the redirects of L7 policies (reference §12.4).

const REASONS: Readonly<Record<number, readonly [string, string]>> = {
  301: ['Moved Permanently', ''],
  302: ['Found', ''],
  303: ['See Other', ''],
  307: ['Temporary Redirect', ''],
  308: ['Permanent Redirect', ''],
  400: ['Bad Request', 'Your browser sent an invalid request.'],
  403: ['Forbidden', 'Request forbidden by administrative rules.'],
  502: ['Bad Gateway', 'The server returned an invalid or incomplete response.'],
  503: ['Service Unavailable', 'No server is available to handle this request.'],
  504: ['Gateway Timeout', 'The server didn\u2019t respond in time.'],
};

/** A complete response: status line, HAProxy-like headers and body; `close` adds `connection: close`. */
export function answerBytes(
  status: number,
  options: Readonly<{ location?: string; close?: boolean; keepAlive10?: boolean }> = {},
): Buffer {
  const [reason, text] = REASONS[status] ?? ['Status', ''];
  const body = text ? `<html><body><h1>${status} ${reason}</h1>\n${text}\n</body></html>\n` : '';
  const bodyBytes = Buffer.from(body, 'utf8');
  let head =
    `HTTP/1.1 ${status} ${reason}\r\ncontent-length: ${bodyBytes.length}\r\n` +
    'cache-control: no-cache\r\ncontent-type: text/html\r\n';
  if (options.location !== undefined) head += `location: ${safeFieldValue(options.location)}\r\n`;
  if (options.close) head += 'connection: close\r\n';
  else if (options.keepAlive10) head += 'connection: keep-alive\r\n';
  const headBytes = Buffer.from(`${head}\r\n`, 'latin1');
  return Buffer.concat([headBytes, bodyBytes]);
}

/** A redirect target can come from the request path: never let it split the head. */
function safeFieldValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed here
  return value.replace(/[\x00-\x1f\x7f]/g, '');
}
