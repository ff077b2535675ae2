// Impersonation (Appwrite 1.9): a signed-in user whose `impersonator` flag is set may act as
// another user by naming them in X-Appwrite-Impersonate-User-Id, -Email or -Phone (or the query
// parameters Appwrite reads for URLs that cannot carry headers, such as an <img> source). The
// request then resolves to the target, with the impersonator kept beside it: the security log
// names the impersonator and the target's accessedAt does not move (lib/router.ts). Anyone else's
// impersonation headers are ignored, and so is a target that does not exist, as Appwrite does.
import type { IncomingMessage } from 'node:http';
import type { UserRecord } from '../../adapters/types';
import { header, parseQuery } from '../http';
import type { SessionCaller, Services } from '../route';

/** Each way to name the target, in Appwrite's precedence: the header, else either query spelling. */
const TARGETS = [
  { header: 'x-appwrite-impersonate-user-id', query: ['impersonateuserid', 'impersonateUserId'], find: (s: Services, v: string) => s.storage.users.get(v) },
  { header: 'x-appwrite-impersonate-user-email', query: ['impersonateemail', 'impersonateEmail'], find: (s: Services, v: string) => s.storage.users.getByEmail(v.toLowerCase()) },
  { header: 'x-appwrite-impersonate-user-phone', query: ['impersonatephone', 'impersonatePhone'], find: (s: Services, v: string) => s.storage.users.getByPhone(v) },
] as const;

/** Longer than any id, email or phone number: such a value names nobody and is not looked up. */
const MAX_TARGET_LENGTH = 320;

/**
 * The caller the request acts as: `caller` itself, or — when `caller` is an impersonator naming an
 * existing user — that user, with `impersonator` set. Costs nothing for callers who are not
 * impersonators (no header is even read).
 */
export async function impersonate(services: Services, req: IncomingMessage, caller: SessionCaller | null): Promise<SessionCaller | null> {
  if (!caller?.user.impersonator) return caller;
  const query = (req.url ?? '').includes('?') ? parseQuery(req.url!.slice(req.url!.indexOf('?'))) : {};
  for (const target of TARGETS) {
    const named = header(req, target.header) || target.query.map((name) => query[name]).find((value) => typeof value === 'string' && value !== '');
    if (typeof named !== 'string' || named === '') continue;
    if (named.length > MAX_TARGET_LENGTH) return caller;
    const user: UserRecord | null = await target.find(services, named);
    return user ? { ...caller, user, impersonator: caller.user } : caller;
  }
  return caller;
}
