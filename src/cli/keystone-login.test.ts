// Behaviour of the Keystone v3 request and catalog lookup: the token URL from OS_AUTH_URL, the password
// body with domains by name or id, and endpoint choice by interface and region.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointUrl, passwordAuthBody, type Session, tokensUrl } from './keystone-login.ts';

const credentials = {
  authUrl: 'x',
  password: 'pw',
  username: 'admin',
  projectName: 'admin',
  interface: 'public',
};

describe('keystone login', () => {
  it('posts to /v3/auth/tokens whether OS_AUTH_URL names the identity root or its /v3', () => {
    assert.equal(tokensUrl('http://h/identity/v3'), 'http://h/identity/v3/auth/tokens');
    assert.equal(tokensUrl('http://h/identity/'), 'http://h/identity/v3/auth/tokens');
  });

  it('scopes to the project by name in its domain, defaulting both domains to the default one', () => {
    assert.deepEqual(passwordAuthBody({ ...credentials, userDomainName: 'Default' }).auth, {
      identity: {
        methods: ['password'],
        password: { user: { name: 'admin', password: 'pw', domain: { name: 'Default' } } },
      },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    });
    assert.deepEqual(passwordAuthBody({ ...credentials, projectId: 'p1', userId: 'u1' }).auth.scope, {
      project: { id: 'p1' },
    });
  });

  it('picks the endpoint of the wanted interface and region, and says which one is missing', () => {
    const session: Session = {
      token: 't',
      credentials: { ...credentials, region: 'Two' },
      catalog: [
        {
          type: 'load-balancer',
          endpoints: [
            { interface: 'public', region_id: 'One', url: 'http://one/lb' },
            { interface: 'public', region_id: 'Two', url: 'http://two/lb/' },
          ],
        },
      ],
    };
    assert.equal(endpointUrl(session, 'load-balancer'), 'http://two/lb');
    assert.throws(() => endpointUrl(session, 'network'), {
      message: "no 'network' endpoint in the service catalog (interface public, region Two)",
    });
  });
});
