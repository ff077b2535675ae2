// The Users API's impersonation flag (Appwrite 1.9): who may act as another user. How an
// impersonator then does so (the X-Appwrite-Impersonate-User-* headers) is the credentials' part,
// in core/impersonation.ts; what they may read is the gate's (the users.read grant, lib/gate.ts).
import { defineRoute } from '../route';
import { p } from '../params';
import { AccountError } from '../errors';
import { updateUser } from '../core/users';

/**
 * Grants or revokes the user's right to impersonate others. An impersonator's own sessions also
 * read the Users API (`users.read`), to find whom to act as.
 */
export const updateImpersonator = defineRoute({
  method: 'patch',
  path: '/users/:userId/impersonator',
  scope: 'server',
  keyScopes: ['users.write'],
  params: { userId: p.uid(), impersonator: p.boolean() },
  status: 200,
  model: 'user',
  sdk: 'updateImpersonator',
  async handler({ services, params }) {
    const user = await services.storage.users.get(params.userId);
    if (!user) throw new AccountError('user_not_found');
    return updateUser(services, user, { impersonator: params.impersonator });
  },
});

export const userImpersonationRoutes = [updateImpersonator];
