// The shape of a conformance suite: one store or capability and its tests by name, each test a
// function of the context the runner gives it (adapter-conformance.ts), as Better Auth's adapter
// suites are. A suite holds no adapter of its own, so the runner decides what every test runs on.

import type { StorageAdapter, UserRecord } from '../../adapters/types';
import type { NewUser } from './fixtures';

/** What a test gets: its own adapter, fresh, empty and migrated, and a user factory on it. */
export interface ConformanceContext {
  /** The adapter under test. */
  readonly a: StorageAdapter;
  /** Creates a user from `makeUser(overrides)` through `a`. */
  createUser(overrides?: Partial<NewUser>): Promise<UserRecord>;
}

export type ConformanceTest = (context: ConformanceContext) => Promise<void>;

export interface ConformanceSuite {
  /** The `describe` title, which prefixes the test names. */
  readonly name: string;
  /** Test name → test, run in this order. */
  readonly tests: Readonly<Record<string, ConformanceTest>>;
}

export function defineSuite(name: string, tests: Record<string, ConformanceTest>): ConformanceSuite {
  return { name, tests };
}
