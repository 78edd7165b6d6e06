import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerAliases } from '../model/provider-aliases.ts';
import { haproxyProviderInfo } from './haproxy/haproxy-provider-info.ts';
import { nativeProviderInfo } from './native/native-provider.ts';
import { NoopProvider } from './noop/noop-provider.ts';

describe('provider descriptions', () => {
  it('are one short sentence without commas, as Octavia describes its drivers', () => {
    const providers = [nativeProviderInfo, haproxyProviderInfo, new NoopProvider().info];
    const all = [...providers, ...providers.flatMap((p) => providerAliases(p))];
    for (const { name, description } of all) {
      assert.match(description, /^[A-Z][^,.;:]{0,80}\.$/, `${name}: ${description}`);
    }
  });
});
