// The one form for creating or updating any object of a field table: POST to its collection or PUT to the
// object, with the body `{<key>: {...}}`; the API's validation message is shown beside the form.
import { useState } from 'preact/hooks';
import { octavia } from '../api/octavia.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { type Field, FieldInput, fieldValue } from '../components/field-input.tsx';
import type { Place, ResourceSpec, Row } from './resource-specs.ts';

type Props = {
  token: string;
  spec: ResourceSpec;
  place: Place;
  /** the object to update; a create when absent */
  row?: Row;
  onDone: () => void;
  onCancel: () => void;
};

export function ResourceForm({ token, spec, place, row, onDone, onCancel }: Props) {
  const [error, setError] = useState<string>();
  const fields: readonly Field[] = row ? spec.update : spec.create(place);
  const verb = row ? 'Save' : `Create ${spec.singular}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const values = Object.fromEntries(
      fields.map((f) => [f.key, fieldValue(f, form)]).filter(([, value]) => value !== undefined),
    );
    setError(undefined);
    try {
      if (row)
        await octavia.send(token, 'PUT', `${spec.collection(place)}/${row.id}`, { [spec.key]: values });
      else
        await octavia.send(token, 'POST', spec.collection(place), {
          [spec.key]: { ...spec.parent(place), ...values },
        });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      class="resource-form"
      onSubmit={submit}
      aria-label={row ? `Edit ${spec.singular}` : `New ${spec.singular}`}
    >
      {fields.map((f) => (
        <FieldInput key={f.key} field={f} value={row?.[f.key]} />
      ))}
      <ErrorAlert message={error} />
      <div class="row">
        <button type="submit">{verb}</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
