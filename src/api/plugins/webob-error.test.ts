import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiate, webobErrorPage } from './webob-error.ts';

describe('webobErrorPage', () => {
  it('picks JSON, HTML or plain text as WebOb ranks text/html and application/json', () => {
    assert.equal(negotiate('application/json'), 'application/json');
    assert.equal(negotiate('*/*'), 'text/html');
    assert.equal(negotiate('text/html;q=0.5, application/json'), 'application/json');
    assert.equal(negotiate('application/*, text/html;q=0'), 'application/json');
    assert.equal(negotiate(undefined), undefined);
    assert.equal(negotiate(''), undefined);
    assert.equal(negotiate('text/plain'), undefined);
  });

  it("renders WebOb's JSON, HTML and plain pages for an explanation", () => {
    const json = webobErrorPage(413, 'Request Entity Too Large', 'Too big.', 'application/json');
    assert.deepEqual(JSON.parse(json.body), {
      message: 'Too big.<br /><br />\n\n\n',
      code: '413 Request Entity Too Large',
      title: 'Request Entity Too Large',
    });
    assert.equal(
      webobErrorPage(413, 'Request Entity Too Large', 'a<b', 'text/html').body,
      '<html>\n <head>\n  <title>413 Request Entity Too Large</title>\n </head>\n <body>\n' +
        '  <h1>413 Request Entity Too Large</h1>\n  a&lt;b<br /><br />\n\n\n\n </body>\n</html>',
    );
    assert.deepEqual(webobErrorPage(413, 'Request Entity Too Large', 'Too big.', undefined), {
      contentType: 'text/plain; charset=UTF-8',
      body: '413 Request Entity Too Large\n\nToo big.\n\n   ',
    });
  });
});
