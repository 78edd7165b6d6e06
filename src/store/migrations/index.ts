// The ordered list of migrations. Append only: a released migration never changes.
import type { Migration } from 'kysely';
import * as foundation from './001-foundation.js';
import * as octaviaObjects from './002-octavia-objects.js';
import * as additionalVips from './003-additional-vips.js';
import * as agents from './004-agents.js';
import * as networkingV1 from './005-networking-v1.js';

export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-octavia-objects': octaviaObjects,
  '003-additional-vips': additionalVips,
  '004-agents': agents,
  '005-networking-v1': networkingV1,
};
