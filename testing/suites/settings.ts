// `settings`: `getOrCreate` keeps the first value, also among concurrent creators.

import { times } from './fixtures';
import { defineSuite } from './suite';

export const settingsSuite = defineSuite('settings', {
  'stores the first value and keeps it': async ({ a }) => {
    expect(await a.settings.getOrCreate('secret', 'first')).toBe('first');
    expect(await a.settings.getOrCreate('secret', 'second')).toBe('first');
    expect(await a.settings.getOrCreate('other', 'third')).toBe('third');
  },

  'agrees on one value among concurrent creators': async ({ a }) => {
    const values = await Promise.all(times(10, (i) => a.settings.getOrCreate('key', `value-${i}`)));
    expect(new Set(values).size).toBe(1);
    expect(await a.settings.getOrCreate('key', 'late')).toBe(values[0]);
  },
});
