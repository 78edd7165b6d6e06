// The oslo.policy check language Octavia's rules are written in, as data: role, ownership, system scope,
// named rules, and/or; plus the one function that evaluates a check against a caller and a target project.
import type { AuthContext } from './auth-context.ts';

/**
 * One oslo.policy check (https://docs.openstack.org/oslo.policy/latest/user/plugins.html): `role:x`,
 * `project_id:%(project_id)s` (owner), `system_scope:all`, `rule:name`, and the `or` / `and` of checks.
 */
export type Check =
  | Readonly<{ role: string }>
  | Readonly<{ owner: true }>
  | Readonly<{ systemScope: true }>
  | Readonly<{ rule: string }>
  | Readonly<{ any: readonly Check[] }>
  | Readonly<{ all: readonly Check[] }>;

/** Named rules (`load-balancer:read`, `context_is_admin`, …): one RBAC policy. */
export type RuleTable = Readonly<Record<string, Check>>;

export const role = (name: string): Check => ({ role: name });
export const rule = (name: string): Check => ({ rule: name });
export const any = (...checks: Check[]): Check => ({ any: checks });
export const all = (...checks: Check[]): Check => ({ all: checks });
export const OWNER: Check = { owner: true };
export const SYSTEM_SCOPE: Check = { systemScope: true };

/**
 * Does `check` pass for the caller against a target owned by `targetProjectId`? A caller without a project
 * owns nothing, and a rule the table does not define fails, as in oslo.policy.
 */
export function passes(
  rules: RuleTable,
  check: Check,
  ctx: AuthContext,
  targetProjectId: string | null,
): boolean {
  if ('role' in check) return ctx.roles.includes(check.role);
  if ('owner' in check) return ctx.projectId !== null && ctx.projectId === targetProjectId;
  if ('systemScope' in check) return ctx.systemScope;
  if ('rule' in check) {
    const named = rules[check.rule];
    return named !== undefined && passes(rules, named, ctx, targetProjectId);
  }
  if ('any' in check) return check.any.some((c) => passes(rules, c, ctx, targetProjectId));
  return check.all.every((c) => passes(rules, c, ctx, targetProjectId));
}

/** Every `rule:` name a check refers to, directly or through the table (for consistency tests). */
export function referencedRules(check: Check): string[] {
  if ('rule' in check) return [check.rule];
  if ('any' in check) return check.any.flatMap(referencedRules);
  if ('all' in check) return check.all.flatMap(referencedRules);
  return [];
}
