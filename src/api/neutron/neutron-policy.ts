// Who may see and change networking objects (Neutron's default policy, simplified): an admin (role
// `admin`) everything; anyone else their project's objects, plus shared networks and their subnets.
// Invisible objects answer 404, visible but not owned ones 403 PolicyNotAuthorized.
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { Network } from '../../model/network.ts';
import type { Visibility } from '../../store/repositories/network-repository.ts';
import type { Attributes } from './neutron-body.ts';

export const isAdmin = (auth: AuthContext): boolean => auth.roles.includes('admin');

export const visibility = (auth: AuthContext): Visibility =>
  isAdmin(auth) ? 'all' : { projectId: auth.projectId };

export const owns = (auth: AuthContext, projectId: string): boolean =>
  isAdmin(auth) || (auth.projectId !== null && auth.projectId === projectId);

export const canSeeNetwork = (auth: AuthContext, network: Network): boolean =>
  owns(auth, network.projectId) || network.shared;

export const policyDenied = (action: string): SluiceError =>
  new SluiceError(
    'network.forbidden',
    { detail: `Policy doesn't allow ${action} to be performed.` },
    'PolicyNotAuthorized',
  );

/** Admin-only attributes of a request: a non-admin naming any of them is refused (403). */
export function requireAdminFor(
  auth: AuthContext,
  attributes: Attributes,
  names: readonly string[],
  action: string,
) {
  if (isAdmin(auth)) return;
  const named = names.find((name) => Object.hasOwn(attributes, name));
  if (named !== undefined) throw policyDenied(`${action}:${named}`);
}

/**
 * The project a new object belongs to: `tenant_id`/`project_id` from the body (they must agree), else the
 * caller's. Only an admin may name another project (Neutron answers 400 for that).
 */
export function owningProject(auth: AuthContext, attributes: Attributes): string {
  const tenant = attributes.tenant_id as string | undefined;
  const project = attributes.project_id as string | undefined;
  if (tenant !== undefined && project !== undefined && tenant !== project) {
    throw new SluiceError('network.http-bad-request', {
      detail: "'project_id' and 'tenant_id' do not match",
    });
  }
  const named = project ?? tenant;
  if (named !== undefined && named !== auth.projectId && !isAdmin(auth)) {
    throw new SluiceError('network.http-bad-request', {
      detail:
        "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges",
    });
  }
  const projectId = named ?? auth.projectId;
  if (projectId === null) {
    throw new SluiceError('network.http-bad-request', {
      detail: "'project_id' must be specified for a system-scoped request",
    });
  }
  return projectId;
}
