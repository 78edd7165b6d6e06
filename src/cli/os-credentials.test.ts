// Behaviour of credential resolution: OS_* variables, OS_CLOUD with clouds.yaml found where openstacksdk
// looks, OS_* overriding the file, and one-line errors for what is missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CliError } from './cli-error.ts';
import { cloudsYamlCandidates } from './clouds-yaml.ts';
import { resolveCredentials } from './os-credentials.ts';

const OPENRC = {
  OS_AUTH_URL: 'http://127.0.0.1:9876/v3',
  OS_USERNAME: 'admin',
  OS_PASSWORD: 'secret',
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
};

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-'));
}

describe('resolveCredentials', () => {
  it('takes everything from the variables an admin-openrc exports', () => {
    const c = resolveCredentials(OPENRC, []);
    assert.equal(c.authUrl, 'http://127.0.0.1:9876/v3');
    assert.equal(c.username, 'admin');
    assert.equal(c.projectDomainName, 'Default');
    assert.equal(c.interface, 'public');
    assert.equal(c.region, undefined);
  });

  it('names the first missing variable in one line', () => {
    assert.throws(() => resolveCredentials({}, []), /^CliError: OS_AUTH_URL is not set/);
    const { OS_PASSWORD: _, ...noPassword } = OPENRC;
    assert.throws(() => resolveCredentials(noPassword, []), {
      message: 'OS_PASSWORD is not set in the environment',
    });
    const { OS_PROJECT_NAME: __, ...noProject } = OPENRC;
    assert.throws(() => resolveCredentials(noProject, []), CliError);
  });

  it('reads the OS_CLOUD entry of the first clouds.yaml found and lets OS_* variables override it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'clouds.yaml');
    fs.writeFileSync(
      file,
      [
        'clouds:',
        '  sluice:',
        '    region_name: RegionTwo',
        '    interface: internal',
        '    auth:',
        '      auth_url: http://127.0.0.1:1/v3',
        '      username: alice',
        '      password: from-file',
        '      project_id: p1',
        '      user_domain_id: default',
      ].join('\n'),
    );
    const c = resolveCredentials({ OS_CLOUD: 'sluice', OS_PASSWORD: 'from-env' }, [
      path.join(dir, 'none.yaml'),
      file,
    ]);
    assert.equal(c.username, 'alice');
    assert.equal(c.password, 'from-env');
    assert.equal(c.projectId, 'p1');
    assert.equal(c.userDomainId, 'default');
    assert.equal(c.region, 'RegionTwo');
    assert.equal(c.interface, 'internal');
    assert.throws(() => resolveCredentials({ OS_CLOUD: 'other' }, [file]), {
      message: `cloud 'other' is not defined in ${file}`,
    });
  });

  it('says where it looked when OS_CLOUD is set and no clouds.yaml exists', () => {
    const missing = path.join(tempDir(), 'clouds.yaml');
    assert.throws(() => resolveCredentials({ OS_CLOUD: 'x' }, [missing]), {
      message: `OS_CLOUD=x but no clouds.yaml found (looked in ${missing})`,
    });
  });

  it('looks in ./, ~/.config/openstack/ and /etc/openstack/ in that order, or only OS_CLIENT_CONFIG_FILE', () => {
    assert.deepEqual(cloudsYamlCandidates({ HOME: '/home/u' }, '/work'), [
      '/work/clouds.yaml',
      '/home/u/.config/openstack/clouds.yaml',
      '/etc/openstack/clouds.yaml',
    ]);
    assert.deepEqual(cloudsYamlCandidates({ OS_CLIENT_CONFIG_FILE: '/x.yaml' }), ['/x.yaml']);
  });

  it('accepts the old publicURL spelling of OS_INTERFACE', () => {
    assert.equal(resolveCredentials({ ...OPENRC, OS_INTERFACE: 'publicURL' }, []).interface, 'public');
  });
});
