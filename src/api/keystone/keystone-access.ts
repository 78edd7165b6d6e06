// Who may call which Keystone route: `admin` (any scope) for administration, the caller itself for its own
// user, project and domain; otherwise Keystone's 403. Also the route options every Keystone route carries.
import type { FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import { caller } from '../plugins/auth.ts';

export const KEYSTONE_ROUTE = { config: { family: 'keystone' } } as const;
export const PUBLIC_KEYSTONE_ROUTE = { config: { family: 'keystone', public: true } } as const;

export const isKeystoneAdmin = (ctx: AuthContext): boolean => ctx.roles.includes('admin');

/** The caller when it holds `admin` or passes `alsoAllowed`; otherwise 403 naming `identity:<action>`. */
export function authorizeKeystone(
  request: FastifyRequest,
  action: string,
  alsoAllowed: (ctx: AuthContext) => boolean = () => false,
): AuthContext {
  const ctx = caller(request);
  if (isKeystoneAdmin(ctx) || alsoAllowed(ctx)) return ctx;
  throw new SluiceError('identity.forbidden', { action: `identity:${action}` });
}
