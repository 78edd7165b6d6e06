// The slice of JSON Schema Barbican's validators use (type, enum, maxLength/minLength, minimum/maximum,
// required, items), checked in schema order, with the jsonschema library's messages
// (https://github.com/python-jsonschema/jsonschema/blob/main/jsonschema/_keywords.py), since Barbican
// prints them in its 400s as "Provided object does not match schema '<name>': <message>. Invalid property".
import { SluiceError } from '../../errors.ts';
import { pyRepr } from '../wire/py-str.ts';

type JsonType = 'string' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

export type PropertySchema = Readonly<{
  type: JsonType | readonly JsonType[];
  enum?: readonly string[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
}>;

export type ObjectSchema = Readonly<{
  properties: Readonly<Record<string, PropertySchema>>;
  required?: readonly string[];
  additionalProperties?: false;
}>;

const isType = (value: unknown, type: JsonType): boolean => {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
  }
};

/** The first violation of `schema.properties[name]` by `value`, as jsonschema words it. */
function propertyError(value: unknown, schema: PropertySchema): string | undefined {
  const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (!types.some((type) => isType(value, type)))
    return `${pyRepr(value)} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`;
  if (typeof value === 'string') {
    // jsonschema counts code points, as Python's len() does.
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) return `${pyRepr(value)} is too long`;
    if (schema.minLength !== undefined && length < schema.minLength) return `${pyRepr(value)} is too short`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      return `${pyRepr(value)} is less than the minimum of ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum)
      return `${pyRepr(value)} is greater than the maximum of ${schema.maximum}`;
  }
  if (schema.enum && !schema.enum.includes(value as string))
    return `${pyRepr(value)} is not one of ${pyRepr(schema.enum)}`;
  return undefined;
}

/** Barbican's InvalidObject 400 for `schema` and `property` (Python prints a missing one as None). */
export function invalidObject(schema: string, reason: string, property: string | null): SluiceError {
  return new SluiceError('key-manager.invalid-object', { schema, reason, property: property ?? 'None' });
}

/** Checks `value` against `schema`, throwing Barbican's 400 for the first violation. */
export function checkSchema(name: string, schema: ObjectSchema, value: unknown): Record<string, unknown> {
  if (!isType(value, 'object')) throw invalidObject(name, `${pyRepr(value)} is not of type 'object'`, null);
  const object = value as Record<string, unknown>;
  for (const [property, subschema] of Object.entries(schema.properties)) {
    if (!(property in object)) continue;
    const error = propertyError(object[property], subschema);
    if (error) throw invalidObject(name, error, property);
  }
  for (const property of schema.required ?? [])
    if (!(property in object)) throw invalidObject(name, `${pyRepr(property)} is a required property`, null);
  if (schema.additionalProperties === false) {
    const extra = Object.keys(object).filter((key) => !(key in schema.properties));
    if (extra.length > 0)
      throw invalidObject(
        name,
        `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
        null,
      );
  }
  return object;
}
