// The ordered list of migrations. Append only: a released migration never changes.
import type { Migration } from 'kysely';
import * as foundation from './001-foundation.js';

export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
};
