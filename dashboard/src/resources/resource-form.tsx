// The one form for creating or updating any object of a field table: POST to its collection (PUT to the
// object its id field names, for kinds that are set rather than created) or PUT to the object, with the body
// `{<key>: {...}}`; the API's validation message is shown beside the form.
import { useState } from 'preact/hooks';
import { json } from '../api/api-client.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { type Field, FieldInput, fieldValue } from '../components/field-input.tsx';
import { collectionPath, type Place, type ResourceSpec, type Row, rowPath } from './resource-specs.ts';

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
  const fields: readonly Field[] = (row ? spec.update : spec.create?.(place)) ?? [];
  const verb = row ? 'Save' : `Create ${spec.singular}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const values = Object.fromEntries(
      fields.map((f) => [f.key, fieldValue(f, form)]).filter(([, value]) => value !== undefined),
    );
    setError(undefined);
    try {
      if (row) await json(rowPath(spec, place, row), { token, method: 'PUT', body: { [spec.key]: values } });
      else if (spec.upsert) {
        const { [spec.idKey]: _named, ...rest } = values;
        await json(rowPath(spec, place, values), { token, method: 'PUT', body: { [spec.key]: rest } });
      } else
        await json(collectionPath(spec, place), {
          token,
          method: 'POST',
          body: { [spec.key]: { ...spec.parent(place), ...values } },
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
