// Request bodies for L7 rules, as Octavia's WSME types declare them (L7RulePOST/PUT/SingleCreate, reference
// §8.2), and the validation of a rule create or update (validate.l7rule_data), usable without an HTTP
// request by the fully populated load balancer create.
import { fail } from '../../../errors.ts';
import type { L7Rule } from '../../../model/l7.ts';
import { L7_RULE_COMPARE_TYPES, L7_RULE_TYPES } from '../../../model/l7.ts';
import { l7RuleProblem } from '../../../model/l7-rule-validation.ts';
import type { L7RuleChanges } from '../../../store/repositories/l7-repository.ts';
import { field, type ObjectFields, required, t } from '../../wire/field-types.ts';
import type { Parsed } from '../../wire/parse-body.ts';

/** Keys and values end up on one HAProxy line: no CR or LF (reference §8.2). */
const LINE = t.string(255, undefined, /^[^\r\n]*$/);

export const L7RULE_SINGLE_CREATE: ObjectFields = {
  type: required(t.enum(L7_RULE_TYPES)),
  compare_type: required(t.enum(L7_RULE_COMPARE_TYPES)),
  key: field(LINE),
  value: required(LINE),
  invert: field(t.bool()),
  admin_state_up: field(t.bool()),
  tags: field(t.list(t.string())),
};
export const L7RULE_POST: ObjectFields = {
  ...L7RULE_SINGLE_CREATE,
  project_id: field(t.string(36)),
  tenant_id: field(t.string(36)),
};
export const L7RULE_PUT: ObjectFields = {
  type: field(t.enum(L7_RULE_TYPES)),
  compare_type: field(t.enum(L7_RULE_COMPARE_TYPES)),
  key: field(LINE),
  value: field(LINE),
  invert: field(t.bool()),
  admin_state_up: field(t.bool()),
  tags: field(t.list(t.string())),
};
export const L7RULE_POST_ENVELOPE: ObjectFields = { rule: required(t.create(L7RULE_POST)) };
export const L7RULE_PUT_ENVELOPE: ObjectFields = { rule: required(t.object(L7RULE_PUT)) };

/** What a rule create stores. */
export type L7RuleSpec = Pick<
  L7Rule,
  'type' | 'compareType' | 'key' | 'value' | 'invert' | 'adminStateUp' | 'tags'
>;

/** Validates a rule of a POST or of a graph (`rules[]`); throws `Error parsing L7Rule: …` (400). */
export function validateL7RuleCreate(body: Parsed): L7RuleSpec {
  const fields = {
    type: body.type as string,
    compareType: body.compare_type as string,
    key: (body.key as string | null | undefined) ?? null,
    value: body.value as string | null,
  };
  const problem = l7RuleProblem(fields);
  if (problem !== undefined) throw fail('octavia.l7rule-validation', { error: problem });
  return {
    ...fields,
    value: fields.value as string,
    // null → false for both (reference §1.3, §8.2)
    invert: body.invert === true,
    adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
    tags: (body.tags as string[] | null | undefined) ?? [],
  };
}

/** Validates the stored rule merged with a PUT body (reference §8.2) and returns the changes to store. */
export function validateL7RuleUpdate(body: Parsed, stored: L7Rule): L7RuleChanges {
  const given = <T>(key: string, current: T): T => (key in body ? (body[key] as T) : current);
  const merged = {
    type: given<string | null>('type', stored.type),
    compareType: given<string | null>('compare_type', stored.compareType),
    key: given<string | null>('key', stored.key),
    value: given<string | null>('value', stored.value),
  };
  const problem = l7RuleProblem({
    ...merged,
    type: merged.type ?? '',
    compareType: merged.compareType ?? '',
  });
  if (problem !== undefined) throw fail('octavia.l7rule-validation', { error: problem });
  if (merged.compareType === null) {
    throw fail('octavia.l7rule-validation', {
      error: 'Invalid L7 Rule: invalid comparison type for rule type',
    });
  }
  return {
    ...('type' in body && { type: merged.type as string }),
    ...('compare_type' in body && { compareType: merged.compareType }),
    ...('key' in body && { key: merged.key }),
    ...('value' in body && { value: merged.value as string }),
    ...('invert' in body && { invert: body.invert === true }),
    ...('admin_state_up' in body && { adminStateUp: body.admin_state_up === true }),
    ...('tags' in body && { tags: (body.tags as string[] | null) ?? [] }),
  };
}
