// The Neutron routes on a fresh in-memory store with the public network, and three callers: an admin and
// two members of different projects (alice, bob). Used by the src/api/neutron route tests.
import { registerNeutronRoutes } from '../../src/api/neutron/routes.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { ensurePublicNetwork } from '../../src/store/repositories/network-repository.ts';
import { authContext, buildFakeAuthApp, type FakeAuthApp } from './fake-auth-app.ts';

export const ADMIN = 'token-admin';
export const ALICE = 'token-alice';
export const BOB = 'token-bob';
export const ALICE_PROJECT = 'project-alice';
export const BOB_PROJECT = 'project-bob';
export const ADMIN_PROJECT = 'project-admin';

export type NeutronFixture = FakeAuthApp & { store: Store; publicNetworkId: string; close(): Promise<void> };

export async function neutronFixture(): Promise<NeutronFixture> {
  const store = await openStore('sqlite::memory:');
  const publicNetwork = await ensurePublicNetwork(store.db, ADMIN_PROJECT);
  const built = await buildFakeAuthApp({
    store,
    tokens: {
      [ADMIN]: authContext({ userId: 'admin', projectId: ADMIN_PROJECT, roles: ['admin', 'member'] }),
      [ALICE]: authContext({ userId: 'alice', projectId: ALICE_PROJECT }),
      [BOB]: authContext({ userId: 'bob', projectId: BOB_PROJECT }),
    },
    register: registerNeutronRoutes,
  });
  return {
    ...built,
    store,
    publicNetworkId: publicNetwork.id,
    async close() {
      await built.app.close();
      await store.close();
    },
  };
}

/** The NeutronError body of a failed response. */
export function neutronError(body: string): { type: string; message: string; detail: string } {
  return (JSON.parse(body) as { NeutronError: { type: string; message: string; detail: string } })
    .NeutronError;
}
