// Converts the request-body field descriptors (src/api/wire/field-types.ts) into JSON Schema for the
// OpenAPI document, so the document describes exactly what the parser accepts.
import type { FieldType, ObjectFields } from '../wire/field-types.ts';

export type JsonSchema = Record<string, unknown>;

export function fieldSchema(type: FieldType): JsonSchema {
  switch (type.kind) {
    case 'string':
      return {
        type: 'string',
        ...(type.min !== undefined && { minLength: type.min }),
        ...(type.max !== undefined && { maxLength: type.max }),
        ...(type.pattern && { pattern: type.pattern.source }),
      };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'int':
      return {
        type: 'integer',
        ...(type.min !== undefined && { minimum: type.min }),
        ...(type.max !== undefined && { maximum: type.max }),
      };
    case 'bool':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'ip':
      return { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
    case 'list':
      return { type: 'array', items: fieldSchema(type.of) };
    case 'dict':
      return { type: 'object', additionalProperties: fieldSchema(type.of) };
    case 'object':
      return objectSchema(type.fields);
    case 'json':
      return {};
  }
}

export function objectSchema(fields: ObjectFields): JsonSchema {
  const required = Object.entries(fields)
    .filter(([, spec]) => spec.mandatory)
    .map(([name]) => name);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(fields).map(([name, spec]) => [name, { ...fieldSchema(spec.type), nullable: true }]),
    ),
    ...(required.length > 0 && { required }),
  };
}
