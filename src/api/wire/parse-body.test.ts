import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SluiceError } from '../../errors.ts';
import { field, required, t } from './field-types.ts';
import { parseBody, parseJsonText } from './parse-body.ts';

const inner = {
  name: field(t.string()),
  port: field(t.int(1, 65535)),
  enabled: field(t.bool()),
  id: field(t.uuid()),
  kind: field(t.enum(['TCP', 'HTTP'])),
  address: field(t.ip()),
  tags: field(t.list(t.string())),
  protocol: required(t.enum(['TCP', 'HTTP'])),
};
const envelope = { thing: required(t.object(inner)) };

function faultOf(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SluiceError) return error;
    throw error;
  }
  assert.fail('expected a SluiceError');
}

describe('parseBody', () => {
  it('accepts a valid body and keeps only the keys that were sent', () => {
    const out = parseBody('thing_', envelope, { thing: { protocol: 'TCP', name: 'a' } });
    assert.deepEqual(out, { thing: { protocol: 'TCP', name: 'a' } });
  });

  it('names an unknown attribute with the argument and envelope path, like WSME', () => {
    const error = faultOf(() =>
      parseBody('load_balancer', envelope, { thing: { protocol: 'TCP', bogus: 1 } }),
    );
    assert.equal(error.status, 400);
    assert.equal(error.message, 'Unknown attribute for argument load_balancer.thing: bogus');
  });

  it('uses the plural wording and a sorted list for several unknown attributes', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'TCP', zz: 1, aa: 2 } }));
    assert.equal(error.message, 'Unknown attributes for argument arg.thing: aa, zz');
  });

  it('reports a missing mandatory field', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: {} }));
    assert.equal(
      error.message,
      "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing.",
    );
  });

  it('rejects a number where a string is expected', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'TCP', name: 5 } }));
    assert.equal(error.message, "Invalid input for field/attribute name. Value: '5'. Value should be string");
  });

  it('rejects a string longer than its maximum', () => {
    const error = faultOf(() =>
      parseBody('arg', envelope, { thing: { protocol: 'TCP', name: 'x'.repeat(256) } }),
    );
    assert.match(error.message, /Value should have a maximum character requirement of 255$/);
  });

  it('rejects a malformed UUID', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'TCP', id: 'nope' } }));
    assert.equal(
      error.message,
      "Invalid input for field/attribute id. Value: 'nope'. Value should be UUID format",
    );
  });

  it('rejects an out-of-range integer', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'TCP', port: 70000 } }));
    assert.equal(
      error.message,
      "Invalid input for field/attribute port. Value: '70000'. Value should be lower or equal to 65535",
    );
  });

  it('coerces integer strings and boolean words the way WSME does', () => {
    const out = parseBody('arg', envelope, { thing: { protocol: 'TCP', port: '80', enabled: 'yes' } });
    assert.deepEqual(out.thing, { protocol: 'TCP', port: 80, enabled: true });
  });

  it('reports an ambiguous boolean against the whole argument', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'TCP', enabled: 'maybe' } }));
    assert.match(
      error.message,
      /^Invalid input for field\/attribute arg\. .*Value not an unambiguous boolean: maybe$/,
    );
  });

  it('rejects a value outside an enumeration, listing the choices', () => {
    const error = faultOf(() => parseBody('arg', envelope, { thing: { protocol: 'UDP' } }));
    assert.equal(
      error.message,
      "Invalid input for field/attribute protocol. Value: 'UDP'. Value should be one of: TCP, HTTP",
    );
  });

  it('rejects an invalid IP address', () => {
    const error = faultOf(() =>
      parseBody('arg', envelope, { thing: { protocol: 'TCP', address: '300.1.1.1' } }),
    );
    assert.match(error.message, /Value should be IPv4 or IPv6 format$/);
  });

  it('keeps an explicit null so updates can reset a field', () => {
    assert.deepEqual(parseBody('arg', envelope, { thing: { protocol: 'TCP', name: null } }).thing, {
      protocol: 'TCP',
      name: null,
    });
  });

  it('reads an optional null inside a create, at any depth, as the absent field', () => {
    const create = { thing: required(t.create({ ...inner, child: field(t.object(inner)) })) };
    const body = { thing: { protocol: 'TCP', name: null, child: { protocol: null, address: null } } };
    assert.deepEqual(parseBody('arg', create, body).thing, { protocol: 'TCP', child: { protocol: null } });
    assert.deepEqual(parseBody('arg', inner, { protocol: 'TCP', port: null }, { create: true }), {
      protocol: 'TCP',
    });
  });

  it('keeps a null admin_state_up inside a create, which Octavia turns into false', () => {
    const create = { thing: required(t.create({ admin_state_up: field(t.bool()) })) };
    assert.deepEqual(parseBody('arg', create, { thing: { admin_state_up: null } }).thing, {
      admin_state_up: null,
    });
  });

  it('answers malformed JSON with the WSME wording', () => {
    const error = faultOf(() => parseJsonText('{"a": '));
    assert.equal(error.message, 'Request is not in valid JSON format');
    assert.equal(error.status, 400);
  });
});
