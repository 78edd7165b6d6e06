// The error page WebOb renders for an HTTPException raised by WSGI middleware in front of an OpenStack API
// (e.g. oslo.middleware's body size limiter, which Octavia wraps around its app): JSON, HTML or plain text
// by the Accept header (https://github.com/Pylons/webob/blob/main/src/webob/exc.py, WSGIHTTPException); WebOb's
// Response gives text types charset=UTF-8.

export type WebobPage = Readonly<{ contentType: string; body: string }>;

const OFFERS = ['text/html', 'application/json'] as const;

/** `${explanation}<br /><br />\n${detail}\n${html_comment}\n` with no detail and no comment. */
const bodyOf = (explanation: string) => `${explanation}<br /><br />\n\n\n`;

/** WebOb's strip_tags: newlines become spaces, then <br> tags newlines, then tags go. */
const stripTags = (value: string) =>
  value
    .replaceAll('\n', ' ')
    .replaceAll('\r', '')
    .replace(/<br.*?>/gis, '\n')
    .replace(/<!--|-->/g, '')
    .replace(/<.*?>/gs, '');

const escapeHtml = (value: string) =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;');

/**
 * The offer WebOb's AcceptValidHeader.acceptable_offers ranks first: each offer takes the quality of the
 * most specific matching media range, q=0 excludes it, ties keep the offer order. A missing or empty Accept
 * header matches nothing (WebOb reads a missing header as ''), which means text/plain.
 */
export function negotiate(accept: string | undefined): (typeof OFFERS)[number] | undefined {
  const ranges = (accept ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [range, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { range, q: q === undefined ? 1 : Number(q.slice(2)) };
    });
  const specificity = (range: string, offer: string) => {
    if (range === offer) return 3;
    if (range === `${offer.split('/')[0]}/*`) return 2;
    return range === '*/*' ? 1 : 0;
  };
  let best: { offer: (typeof OFFERS)[number]; q: number } | undefined;
  for (const offer of OFFERS) {
    let match: { q: number; level: number } | undefined;
    for (const { range, q } of ranges) {
      const level = specificity(range, offer);
      if (level > 0 && (match === undefined || level > match.level)) match = { q, level };
    }
    if (match && match.q > 0 && (best === undefined || match.q > best.q)) best = { offer, q: match.q };
  }
  return best?.offer;
}

/** The page of a WebOb HTTPException with this status line and explanation, for this Accept header. */
export function webobErrorPage(
  code: number,
  title: string,
  explanation: string,
  accept: string | undefined,
): WebobPage {
  const status = `${code} ${title}`;
  switch (negotiate(accept)) {
    case 'application/json':
      // Python's json.dumps: ", " and ": " separators, non-ASCII escaped (the texts here are ASCII).
      return {
        contentType: 'application/json',
        body: `{"message": ${JSON.stringify(bodyOf(explanation))}, "code": ${JSON.stringify(status)}, "title": ${JSON.stringify(title)}}`,
      };
    case 'text/html':
      return {
        contentType: 'text/html; charset=UTF-8',
        body: `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n  ${bodyOf(escapeHtml(explanation))}\n </body>\n</html>`,
      };
    default:
      return {
        contentType: 'text/plain; charset=UTF-8',
        body: `${status}\n\n${stripTags(bodyOf(explanation))}`,
      };
  }
}
