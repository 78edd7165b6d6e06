// Query-string values the OpenStack APIs read leniently (oslo's bool_from_string): `cascade=true`,
// `additive_only=True`, `page_reverse=1`.

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];

export const isTruthy = (value: string | undefined): boolean =>
  value !== undefined && TRUE_WORDS.includes(value.trim().toLowerCase());
