// What every route module receives: the store, configuration, identity service, change feed and secret store.
import type { SluiceConfig } from '../config/config.ts';
import type { IdentityService } from '../identity/identity-service.ts';
import type { ProviderInfo } from '../model/provider-driver.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/database.ts';
import type { SecretCipher } from '../store/secret-cipher.ts';
import type { SecretReaders } from '../tls/secret-reader.ts';

export type ApiContext = Readonly<{
  store: Store;
  config: SluiceConfig;
  identity: IdentityService;
  changes: ChangeFeed;
  /** provider names this deployment enables; the first is not necessarily the default */
  providers: readonly ProviderInfo[];
  /** the secret store certificate refs are read from; absent: refs are stored unchecked (no secret store) */
  secrets?: SecretReaders;
  /** the secret store's cipher (openSecretCipher), which the key-manager API seals payloads with */
  secretCipher?: SecretCipher;
}>;
