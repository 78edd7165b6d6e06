// Decodes the body of POST /v3/auth/tokens (reference §1.2) into an AuthRequest: methods, password or token
// identity, and the project / system / domain scope (absent, or the string "unscoped"). Shape errors → 400.
import { SluiceError } from '../../errors.ts';
import type { AuthRequest, PasswordCredentials, ScopeRequest } from '../../identity/identity-types.ts';
import { invalid, isObject, type JsonObject } from './keystone-input.ts';

function objectAt(parent: JsonObject, key: string, path: string): JsonObject {
  const value = parent[key];
  if (value === undefined) throw invalid(path, `'${key}' is a required property`);
  if (!isObject(value)) throw invalid(`${path}`, `${JSON.stringify(value)} is not of type 'object'`);
  return value;
}

function stringAt(parent: JsonObject, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalid(`${path}.${key}`, `${JSON.stringify(value)} is not of type 'string'`);
  return value;
}

/** `{"id": …}` or `{"name": …}` of a domain reference, when present. */
function domainRef(parent: JsonObject, path: string): { domainId?: string; domainName?: string } {
  if (parent.domain === undefined) return {};
  const domain = objectAt(parent, 'domain', `${path}.domain`);
  return {
    domainId: stringAt(domain, 'id', `${path}.domain`),
    domainName: stringAt(domain, 'name', `${path}.domain`),
  };
}

function passwordCredentials(identity: JsonObject): PasswordCredentials {
  const user = objectAt(
    objectAt(identity, 'password', 'identity.password'),
    'user',
    'identity.password.user',
  );
  const path = 'identity.password.user';
  const password = stringAt(user, 'password', path);
  if (password === undefined) throw invalid(`${path}.password`, "'password' is a required property");
  const userId = stringAt(user, 'id', path);
  const userName = stringAt(user, 'name', path);
  if (userId === undefined && userName === undefined)
    throw invalid(path, "one of 'id' or 'name' is required");
  return { userId, userName, password, ...domainRef(user, path) };
}

function scopeOf(auth: JsonObject): ScopeRequest {
  const scope = auth.scope;
  if (scope === undefined || scope === null) return { kind: 'default' };
  if (scope === 'unscoped') return { kind: 'unscoped' };
  if (!isObject(scope)) throw invalid('scope', `${JSON.stringify(scope)} is not of type 'object'`);
  if (scope.project !== undefined) {
    const project = objectAt(scope, 'project', 'scope.project');
    const id = stringAt(project, 'id', 'scope.project');
    const name = stringAt(project, 'name', 'scope.project');
    if (id === undefined && name === undefined)
      throw invalid('scope.project', "one of 'id' or 'name' is required");
    return { kind: 'project', id, name, ...domainRef(project, 'scope.project') };
  }
  if (scope.system !== undefined) {
    const system = objectAt(scope, 'system', 'scope.system');
    if (system.all !== true)
      throw invalid('scope.system.all', 'only system scope {"all": true} is supported');
    return { kind: 'system' };
  }
  if (scope.domain !== undefined) return { kind: 'domain' };
  // Trusts, application credentials and other scopes do not exist here: nobody can hold such a token.
  if (Object.keys(scope).length > 0) throw new SluiceError('identity.invalid-credentials');
  return { kind: 'default' };
}

/** `headerToken` (X-Auth-Token) stands in for `identity.token.id` when the token method omits it. */
export function parseAuthRequest(body: unknown, headerToken?: string): AuthRequest {
  if (!isObject(body)) throw invalid('auth', "'auth' is a required property");
  const auth = objectAt(body, 'auth', 'auth');
  const identity = objectAt(auth, 'identity', 'identity');
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0 || methods.some((m) => typeof m !== 'string')) {
    throw invalid('identity.methods', 'expected a non-empty list of method names');
  }
  const names = methods as string[];
  const password = names.includes('password') ? passwordCredentials(identity) : undefined;
  let token: string | undefined;
  if (names.includes('token')) {
    const tokenObject = identity.token === undefined ? {} : objectAt(identity, 'token', 'identity.token');
    token = stringAt(tokenObject, 'id', 'identity.token') ?? headerToken;
    if (!token) throw invalid('identity.token.id', "'id' is a required property");
  }
  return { methods: names, password, token, scope: scopeOf(auth) };
}
