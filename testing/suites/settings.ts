// `settings`: `getOrCreate` keeps the first value, also among concurrent creators.

import { times } from './fixtures';
import { defineSuite } from './suite';

export const settingsSuite = defineSuite('settings', {
  'returns null for a missing key': async ({ a }) => {
    expect(await a.settings.get('missing')).toBeNull();
  },

  'stores the first value and keeps it': async ({ a }) => {
    expect(await a.settings.getOrCreate('secret', 'first')).toBe('first');
    expect(await a.settings.getOrCreate('secret', 'second')).toBe('first');
    expect(await a.settings.get('secret')).toBe('first');
  },

  'agrees on one value among concurrent creators': async ({ a }) => {
    const values = await Promise.all(times(10, (i) => a.settings.getOrCreate('key', `value-${i}`)));
    expect(new Set(values).size).toBe(1);
    expect(await a.settings.get('key')).toBe(values[0]);
  },
});
