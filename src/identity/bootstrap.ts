// First-start identity: domain Default, the bootstrap roles, project admin and user admin holding `admin` on that
// project and on the system (identity-networking-v1.md §1.4). Idempotent; safe when two processes race.
import { randomBytes } from 'node:crypto';
import type { SluiceConfig } from '../config/config.ts';
import { isUniqueViolation, newHexId } from '../store/codec.ts';
import { type RoleRecord, SYSTEM_TARGET, type UserRecord } from '../store/repositories/identity-records.ts';
import type { IdentityRepository } from '../store/repositories/identity-repository.ts';
import type { RoleRepository } from '../store/repositories/role-repository.ts';
import { adminOpenrcPath, readAdminOpenrcPassword, writeAdminOpenrc } from './admin-openrc.ts';
import { DEFAULT_DOMAIN_ID } from './authenticator.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Keystone's default roles (keystone-manage bootstrap creates reader, member, admin and service) and Octavia's. */
export const BOOTSTRAP_ROLES = [
  'admin',
  'member',
  'reader',
  'service',
  'load-balancer_admin',
  'load-balancer_member',
  'load-balancer_observer',
  'load-balancer_global_observer',
  'load-balancer_quota_admin',
] as const;

export const ADMIN_NAME = 'admin';

export type BootstrapResult = Readonly<{
  adminUserId: string;
  adminProjectId: string;
  /** the admin password when known: from SLUICE_ADMIN_PASSWORD, generated now, or read back from admin-openrc */
  adminPassword: string;
  generated: boolean;
  /** the admin-openrc file when one exists */
  openrcPath: string | null;
}>;

type Config = Pick<SluiceConfig, 'adminPassword' | 'dataDir' | 'publicUrl'>;
type AdminPassword = Omit<BootstrapResult, 'adminUserId' | 'adminProjectId'>;

export async function bootstrapIdentity(
  directory: IdentityRepository,
  roles: RoleRepository,
  config: Config,
): Promise<BootstrapResult> {
  if (!(await directory.findDomain(DEFAULT_DOMAIN_ID))) {
    const domain = {
      id: DEFAULT_DOMAIN_ID,
      name: 'Default',
      description: 'The default domain',
      enabled: true,
    };
    await ignoreDuplicate(directory.insertDomain(domain));
  }
  const adminRole = await ensureRoles(roles);
  let project = await directory.findProjectByName(DEFAULT_DOMAIN_ID, ADMIN_NAME);
  if (!project) {
    const description = 'Bootstrap project for initializing the cloud.';
    const fresh = { id: newHexId(), name: ADMIN_NAME, description, domainId: DEFAULT_DOMAIN_ID };
    await ignoreDuplicate(directory.insertProject({ ...fresh, enabled: true, parentId: null, tags: [] }));
    project = await directory.findProjectByName(DEFAULT_DOMAIN_ID, ADMIN_NAME);
  }
  const existing = await directory.findUserByName(DEFAULT_DOMAIN_ID, ADMIN_NAME);
  const { user, result } = existing
    ? { user: existing, result: await refreshAdmin(directory, existing, config) }
    : await createAdmin(directory, config);
  if (!project) throw new Error('bootstrap: the admin project is missing after creation');
  await roles.grant({ userId: user.id, roleId: adminRole.id, targetId: project.id });
  await roles.grant({ userId: user.id, roleId: adminRole.id, targetId: SYSTEM_TARGET });
  return { ...result, adminUserId: user.id, adminProjectId: project.id };
}

async function ensureRoles(roles: RoleRepository): Promise<RoleRecord> {
  for (const name of BOOTSTRAP_ROLES) {
    if (!(await roles.findRoleByName(name)))
      await ignoreDuplicate(roles.insertRole({ id: newHexId(), name }));
  }
  const admin = await roles.findRoleByName('admin');
  if (!admin) throw new Error('bootstrap: the admin role is missing after creation');
  return admin;
}

async function createAdmin(
  directory: IdentityRepository,
  config: Config,
): Promise<{ user: UserRecord; result: AdminPassword }> {
  const generated = config.adminPassword === undefined;
  const password = config.adminPassword ?? randomBytes(18).toString('base64url');
  const user: UserRecord = {
    id: newHexId(),
    name: ADMIN_NAME,
    domainId: DEFAULT_DOMAIN_ID,
    enabled: true,
    defaultProjectId: null,
    passwordHash: await hashPassword(password),
  };
  try {
    await directory.insertUser(user);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another process bootstrapped the same store first: its admin (and its password) win.
    const winner = await directory.findUserByName(DEFAULT_DOMAIN_ID, ADMIN_NAME);
    if (!winner) throw error;
    return { user: winner, result: await refreshAdmin(directory, winner, config) };
  }
  const openrcPath = generated ? await writeAdminOpenrc(config, password) : null;
  return { user, result: { adminPassword: password, generated, openrcPath } };
}

/** Later starts: SLUICE_ADMIN_PASSWORD, when set, becomes the admin password (and fixes a stale openrc). */
async function refreshAdmin(
  directory: IdentityRepository,
  admin: UserRecord,
  config: Config,
): Promise<AdminPassword> {
  const recorded = await readAdminOpenrcPassword(config);
  const openrcPath = recorded === null ? null : adminOpenrcPath(config);
  const wanted = config.adminPassword;
  if (wanted === undefined) return { adminPassword: recorded ?? '', generated: false, openrcPath };
  if (!admin.passwordHash || !(await verifyPassword(wanted, admin.passwordHash))) {
    await directory.updateUser(admin.id, { passwordHash: await hashPassword(wanted) });
  }
  if (recorded !== null && recorded !== wanted) await writeAdminOpenrc(config, wanted);
  return { adminPassword: wanted, generated: false, openrcPath };
}

async function ignoreDuplicate(insert: Promise<void>): Promise<void> {
  try {
    await insert;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
