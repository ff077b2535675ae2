// The adapter itself: its name, and `migrate()` run again on a migrated database.

import { defineSuite } from './suite';

export const adapterSuite = defineSuite('adapter', {
  'has a name and migrate() is idempotent': async ({ a }) => {
    expect(typeof a.name).toBe('string');
    expect(a.name.length).toBeGreaterThan(0);
    await a.migrate();
    await a.migrate();
    expect(await a.users.count()).toBe(0);
  },
});
