// Behaviour of error lines: the API's own message from each family's fault body, with the HTTP status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultMessage } from './api-fault.ts';

describe('faultMessage', () => {
  it('reads the Octavia faultstring, the Keystone error message and the Neutron error message', () => {
    const octavia = '{"faultcode":"Client","faultstring":"Pool abc not found.","debuginfo":null}';
    assert.equal(faultMessage(404, octavia), 'Pool abc not found. (HTTP 404)');
    const keystone =
      '{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}';
    assert.equal(
      faultMessage(401, keystone),
      'The request you have made requires authentication. (HTTP 401)',
    );
    const neutron =
      '{"NeutronError":{"type":"SubnetNotFound","message":"Subnet x could not be found.","detail":""}}';
    assert.equal(faultMessage(404, neutron), 'Subnet x could not be found. (HTTP 404)');
  });

  it('falls back to the first line of a body that is not JSON', () => {
    assert.equal(faultMessage(502, 'Bad Gateway\n<html>'), 'Bad Gateway (HTTP 502)');
    assert.equal(faultMessage(500, ''), 'no message (HTTP 500)');
  });
});
