// The ordered list of migrations. Append only: a released migration never changes.
import type { Migration } from 'kysely';
import * as foundation from './001-foundation.ts';
import * as octaviaObjects from './002-octavia-objects.ts';
import * as additionalVips from './003-additional-vips.ts';
import * as agents from './004-agents.ts';
import * as networkingV1 from './005-networking-v1.ts';
import * as vrrpGroups from './006-vrrp-groups.ts';
import * as providerAlias from './007-provider-alias.ts';
import * as neutronStandardAttrs from './008-neutron-standard-attrs.ts';
import * as securityGroups from './009-security-groups.ts';
import * as routesAndQos from './010-routes-and-qos.ts';
import * as secretStore from './011-secret-store.ts';
import * as listenerHsts from './012-listener-hsts.ts';
import * as listenerCertificates from './013-listener-certificates.ts';
import * as listingIndexes from './014-listing-indexes.ts';
import * as statusEvents from './015-status-events.ts';
import * as accessLogs from './016-access-logs.ts';
import * as membersFillfactor from './017-members-fillfactor.ts';
import * as poolReferenceIndexes from './018-pool-reference-indexes.ts';

export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-octavia-objects': octaviaObjects,
  '003-additional-vips': additionalVips,
  '004-agents': agents,
  '005-networking-v1': networkingV1,
  '006-vrrp-groups': vrrpGroups,
  '007-provider-alias': providerAlias,
  '008-neutron-standard-attrs': neutronStandardAttrs,
  '009-security-groups': securityGroups,
  '010-routes-and-qos': routesAndQos,
  '011-secret-store': secretStore,
  '012-listener-hsts': listenerHsts,
  '013-listener-certificates': listenerCertificates,
  '014-listing-indexes': listingIndexes,
  '015-status-events': statusEvents,
  '016-access-logs': accessLogs,
  '017-members-fillfactor': membersFillfactor,
  '018-pool-reference-indexes': poolReferenceIndexes,
};
