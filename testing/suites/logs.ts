// `logs`: pages newest first with their total; a user's logs outlive the user.

import type { LogRecord } from '../../adapters/types';
import { makeLog, at } from './fixtures';
import { defineSuite } from './suite';

export const logsSuite = defineSuite('logs', {
  'lists a user\'s logs newest first, a page at a time, with the total': async ({ a, createUser }) => {
    const user = await createUser();
    const other = await createUser();
    const created: LogRecord[] = [];
    for (const offset of [2000, 5000, 1000, 4000, 3000]) {
      const log = makeLog(user.id, { time: at(offset), event: `event-${offset}` });
      await a.logs.create(log);
      created.push(log);
    }
    await a.logs.create(makeLog(other.id));
    const newestFirst = [...created].sort((x, y) => y.time.getTime() - x.time.getTime());

    expect(await a.logs.listByUser(user.id, { limit: 25, offset: 0 })).toEqual({ total: 5, items: newestFirst });
    expect(await a.logs.listByUser(user.id, { limit: 2, offset: 2 })).toEqual({
      total: 5,
      items: newestFirst.slice(2, 4),
    });
    expect(await a.logs.listByUser('missing', { limit: 25, offset: 0 })).toEqual({ total: 0, items: [] });
  },

  'keeps logs of users that do not exist (any more)': async ({ a }) => {
    const log = makeLog('never-created', { userName: 'Ghost 👻' });
    await a.logs.create(log);
    expect(await a.logs.listByUser('never-created', { limit: 1, offset: 0 })).toEqual({ total: 1, items: [log] });
  },
});
