// Prints what a command returns in the format -o asks for: an aligned table (default), or the API's own
// object(s) as JSON or YAML.
import { stringify } from 'yaml';
import { CliError } from './cli-error.ts';
import { renderFields, renderTable } from './render-table.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormat(value: unknown): OutputFormat {
  const format = (value ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new CliError(`unknown output format '${String(value)}' (choose ${OUTPUT_FORMATS.join(', ')})`);
  }
  return format;
}

export function formatObject(object: Record<string, unknown>, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(object, null, 2) + '\n';
  if (format === 'yaml') return stringify(object);
  return renderFields(object);
}

export function formatList(
  objects: Record<string, unknown>[],
  columns: readonly string[],
  format: OutputFormat,
): string {
  if (format === 'json') return JSON.stringify(objects, null, 2) + '\n';
  if (format === 'yaml') return objects.length ? stringify(objects) : '[]\n';
  return renderTable(
    columns,
    objects.map((object) => columns.map((column) => object[column])),
  );
}
