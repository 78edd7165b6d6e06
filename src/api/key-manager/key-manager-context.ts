// What the key-manager routes share: the store, the payload cipher and the base of the hrefs they write.

import type { Db } from '../../store/database.ts';
import type { SecretCipher } from '../../store/secret-cipher.ts';
import type { Hrefs } from './key-manager-wire.ts';

export type KeyManagerContext = Readonly<{ db: Db; cipher: SecretCipher; hrefs: Hrefs }>;
