// The semantic checks of a new pool and of a new member, shared by the standalone creates and the fully
// populated load balancer create (reference §5, §5.1, §6, §3.3).
import type { NetworkDriver } from '../../../config/config.ts';
import { fail, SluiceError } from '../../../errors.ts';
import type { AuthContext } from '../../../identity/auth-context.ts';
import { reservedAddress } from '../../../model/member.ts';
import { checkPoolTlsCreate, checkSessionPersistence } from '../../../model/pool-validation.ts';
import type { TlsPolicy } from '../../../model/tls-policy.ts';
import type { Db } from '../../../store/database.ts';
import type { Parsed } from '../../wire/parse-body.ts';
import { visibleSubnet } from '../load-balancers/vip-resolver.ts';
import { refuseIf } from './schema.ts';
import { persistenceInput } from './wire.ts';

/** Session persistence and TLS settings of a pool create body, under the admin TLS policy (400 on the first problem). */
export function checkNewPool(body: Parsed, tlsPolicy: TlsPolicy): void {
  refuseIf(
    checkSessionPersistence(
      body.protocol as string,
      persistenceInput(body.session_persistence as Parsed | null),
    ),
  );
  refuseIf(
    checkPoolTlsCreate(
      {
        tlsEnabled: body.tls_enabled as boolean | null | undefined,
        caTlsContainerRef: body.ca_tls_container_ref as string | null | undefined,
        crlContainerRef: body.crl_container_ref as string | null | undefined,
        tlsVersions: body.tls_versions as string[] | null | undefined,
        alpnProtocols: body.alpn_protocols as string[] | null | undefined,
        tlsCiphers: body.tls_ciphers as string | null | undefined,
      },
      tlsPolicy,
    ),
  );
}

/**
 * WSME lets `null` through a member's mandatory address and port, and Octavia's insert then fails (500);
 * here it is the missing value it stands for, in WSME's words.
 */
export function checkMemberRequired(body: Parsed): void {
  for (const field of ['address', 'protocol_port']) {
    if (body[field] === null) {
      throw new SluiceError('request.invalid-input', {
        field,
        value: "'None'",
        reason: 'Mandatory field missing.',
      });
    }
  }
}

/**
 * API 2.30: `request_sriov: true` needs a flavor with `allow_member_sriov: true`, which Sluice refuses (it
 * has no SR-IOV ports), so it is always 400 MemberSRIOVDisabled (octavia/api/v2/controllers/member.py).
 */
export function checkMemberSriov(body: Parsed): void {
  if (body.request_sriov === true) throw fail('octavia.member-sriov-disabled');
}

/** A member address in reserved_ips is refused (400 `<ip> is not a valid option for member address`). */
export function checkMemberAddress(address: string): void {
  const reserved = reservedAddress(address);
  if (reserved) throw fail('octavia.invalid-option', { value: reserved, option: 'member address' });
}

/**
 * A member's subnet must be one the caller can see, unless the network driver is noop, which takes ids as
 * given. Octavia looks the subnet up with the caller's token (validate.subnet_exists with context), so a
 * subnet of another project is answered like a missing one: 400 `Subnet <id> not found.`
 */
export async function checkMemberSubnet(
  db: Db,
  auth: AuthContext,
  subnetId: string | null | undefined,
  networkDriver: NetworkDriver,
) {
  if (subnetId && networkDriver !== 'noop') await visibleSubnet(db, auth, subnetId);
}
