import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerAliases } from '../../model/provider-aliases.ts';
import type { ProviderInfo } from '../../model/provider-driver.ts';
import type { ApiContext } from '../context.ts';
import { validateProfileData } from './provider-data.ts';

const target: ProviderInfo = { name: 'native', description: 'A provider.' };
const context = { providers: [target, ...providerAliases(target)] } as unknown as ApiContext;

describe('profile data validation', () => {
  it('notes each ignored amphora key once in the log and says nothing of the applied topology', () => {
    const notes: string[] = [];
    const log = { warn: (object: object) => notes.push(JSON.stringify(object)) };
    const data = '{"loadbalancer_topology": "SINGLE", "compute_flavor": "m1", "amp_image_tag": "t"}';
    validateProfileData(context, 'amphora', 'flavor', data, 'flavor_data', log);
    validateProfileData(context, 'amphora', 'flavor', data, 'flavor_data', log);
    assert.deepEqual(notes, [
      '{"provider":"amphora","key":"compute_flavor"}',
      '{"provider":"amphora","key":"amp_image_tag"}',
    ]);
    validateProfileData(context, 'octavia', 'availability_zone', '{"compute_zone": "z"}', 'x', log);
    assert.equal(notes.at(-1), '{"provider":"octavia","key":"compute_zone"}');
  });
});
