// Field type descriptors for request bodies, mirroring the WSME types Octavia declares (StringType,
// UuidType, IntegerType, Enum, IPAddressType, bool, lists, dicts, nested complex types).

export type FieldType =
  | { readonly kind: 'string'; readonly min?: number; readonly max?: number; readonly pattern?: RegExp }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'ip' }
  | { readonly kind: 'list'; readonly of: FieldType }
  | { readonly kind: 'dict'; readonly of: FieldType }
  /** `create`: the body of a create, where an optional attribute sent as null counts as absent (parse-body.ts) */
  | { readonly kind: 'object'; readonly fields: ObjectFields; readonly create?: boolean }
  /** any JSON value, validated later by the handler (e.g. graph children) */
  | { readonly kind: 'json' };

export type FieldSpec = { readonly type: FieldType; readonly mandatory?: boolean };
export type ObjectFields = Readonly<Record<string, FieldSpec>>;

/**
 * Octavia's integer attributes land in 32-bit INTEGER columns, so an int without its own range is bounded
 * by them (octavia/db/models.py declares sa.Integer; MySQL and PostgreSQL INTEGER are 32-bit).
 */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

export const t = {
  string: (max = 255, min?: number, pattern?: RegExp): FieldType => ({ kind: 'string', max, min, pattern }),
  uuid: (): FieldType => ({ kind: 'uuid' }),
  int: (min = INT32_MIN, max = INT32_MAX): FieldType => ({ kind: 'int', min, max }),
  bool: (): FieldType => ({ kind: 'bool' }),
  enum: (values: readonly string[]): FieldType => ({ kind: 'enum', values }),
  ip: (): FieldType => ({ kind: 'ip' }),
  list: (of: FieldType): FieldType => ({ kind: 'list', of }),
  dict: (of: FieldType): FieldType => ({ kind: 'dict', of }),
  object: (fields: ObjectFields): FieldType => ({ kind: 'object', fields }),
  /** The body of a create: it and every object nested in it read an optional null as absent. */
  create: (fields: ObjectFields): FieldType => ({ kind: 'object', fields, create: true }),
  json: (): FieldType => ({ kind: 'json' }),
} as const;

export const field = (type: FieldType, mandatory = false): FieldSpec => ({ type, mandatory });
export const required = (type: FieldType): FieldSpec => ({ type, mandatory: true });
