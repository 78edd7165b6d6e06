// What every route module receives: the store, configuration, identity service and change feed.
import type { SluiceConfig } from '../config/config.js';
import type { IdentityService } from '../identity/identity-service.js';
import type { ProviderInfo } from '../model/provider-driver.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { Store } from '../store/database.js';

export type ApiContext = Readonly<{
  store: Store;
  config: SluiceConfig;
  identity: IdentityService;
  changes: ChangeFeed;
  /** provider names this deployment enables; the first is not necessarily the default */
  providers: readonly ProviderInfo[];
}>;
