// The storage-adapter conformance suite: what adapters/types.ts promises, checked against a real
// adapter. Published as `account-router/testing`: the built-in adapters and third-party ones run
// exactly this suite from a jest test file; each test gets a fresh adapter, so tests stand alone.
// The tests live per store or capability in suites/; this file runs them all on one adapter.

import type { StorageAdapter } from '../adapters/types';
import { adapterSuite } from './suites/adapter';
import { apiKeysSuite } from './suites/api-keys';
import { authenticatorsSuite } from './suites/authenticators';
import { challengesSuite } from './suites/challenges';
import { countersSuite } from './suites/counters';
import { makeUser } from './suites/fixtures';
import { hostSessionsSuite } from './suites/host-sessions';
import { identitiesSuite } from './suites/identities';
import { identityListsSuite } from './suites/identity-lists';
import { logsSuite } from './suites/logs';
import { passwordHistorySuite } from './suites/password-history';
import { recoveryCodesSuite } from './suites/recovery-codes';
import { sessionsSuite } from './suites/sessions';
import { settingsSuite } from './suites/settings';
import type { ConformanceContext, ConformanceSuite } from './suites/suite';
import { targetsSuite } from './suites/targets';
import { tokensSuite } from './suites/tokens';
import { transactionsSuite } from './suites/transactions';
import { userListsSuite } from './suites/user-lists';
import { usersSuite } from './suites/users';

/** Every suite, in the order they run: the adapter, each store, then transactions across stores. */
const SUITES: readonly ConformanceSuite[] = [
  adapterSuite,
  usersSuite,
  userListsSuite,
  sessionsSuite,
  tokensSuite,
  identitiesSuite,
  identityListsSuite,
  logsSuite,
  targetsSuite,
  authenticatorsSuite,
  challengesSuite,
  recoveryCodesSuite,
  passwordHistorySuite,
  countersSuite,
  settingsSuite,
  hostSessionsSuite,
  apiKeysSuite,
  transactionsSuite,
];

/**
 * Defines `describe(name)` with the whole storage contract. `createAdapter` returns a fresh, empty,
 * migrated adapter; `destroy` disposes of it (by default `adapter.close()`).
 */
export function runAdapterConformance(
  name: string,
  createAdapter: () => Promise<StorageAdapter>,
  destroy: (adapter: StorageAdapter) => Promise<void> = (adapter) => adapter.close(),
): void {
  describe(name, () => {
    let adapter: StorageAdapter;

    beforeEach(async () => {
      adapter = await createAdapter();
      await adapter.migrate();
    });

    afterEach(async () => {
      await destroy(adapter);
    });

    const context: ConformanceContext = {
      get a() {
        return adapter;
      },
      createUser: (overrides = {}) => adapter.users.create(makeUser(overrides)),
    };

    for (const suite of SUITES) {
      describe(suite.name, () => {
        for (const [title, test] of Object.entries(suite.tests)) it(title, () => test(context));
      });
    }
  });
}
