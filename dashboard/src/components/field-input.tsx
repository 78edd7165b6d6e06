// One form field from a field table entry: a labelled text, number, select or checkbox input named by the API
// attribute it sets. Numbers are sent as typed so the API, not the browser, judges them (its message shows).

import { useId } from 'preact/hooks';

export type Field = {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'bool';
  options?: readonly string[];
  /** what a select shows for an option (a name for an id); the option itself otherwise */
  labels?: Readonly<Record<string, string>>;
  required?: boolean;
  /** a checkbox's state on a create form (default on: most are `admin_state_up`) */
  initially?: boolean;
};

export function FieldInput({ field, value }: { field: Field; value?: unknown }) {
  const id = useId();
  if (field.kind === 'bool') {
    return (
      <label class="check">
        <input
          type="checkbox"
          name={field.key}
          defaultChecked={value === undefined ? (field.initially ?? true) : Boolean(value)}
        />
        {field.label}
      </label>
    );
  }
  const control =
    field.kind === 'select' ? (
      <select id={id} name={field.key} defaultValue={value === undefined ? undefined : String(value)}>
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {field.labels?.[option] ?? (option || 'None')}
          </option>
        ))}
      </select>
    ) : (
      <input
        id={id}
        name={field.key}
        inputMode={field.kind === 'number' ? 'numeric' : undefined}
        required={field.required}
        defaultValue={value === undefined || value === null ? '' : String(value)}
      />
    );
  return (
    <div class="field">
      <label htmlFor={id}>{field.label}</label>
      {control}
    </div>
  );
}

/** The value of `field` in `form` as the API takes it; undefined for an empty optional field. */
export function fieldValue(field: Field, form: FormData): unknown {
  if (field.kind === 'bool') return form.get(field.key) === 'on';
  const text = String(form.get(field.key) ?? '').trim();
  if (text === '') return undefined;
  if (field.kind === 'number' && Number.isFinite(Number(text))) return Number(text);
  return text;
}
