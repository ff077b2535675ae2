// JWTs for calling your own backend on the user's behalf.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, MINUTE } from '../route';
import { signJwt } from '../core/jwt';

/**
 * Mints a JWT (HS256 `{userId, sessionId, exp}` signed with the server secret) for calling your own
 * backend on the user's behalf; send it as `X-Appwrite-JWT`. Only a session may mint one: a request
 * authorized by a JWT gets 403 `user_jwt_creation_denied`, whatever the SDK's response format (as
 * Appwrite answers after 1.9.6), so a leaked JWT cannot be renewed into a JWT that outlives it. It dies
 * with its session, and after `duration` seconds (900 by default) it is 401 `user_jwt_invalid`.
 */
export const createJWT = defineRoute({
  method: 'post',
  path: '/account/jwts',
  aliases: ['/account/jwt'],
  scope: 'user',
  rateLimit: { limit: 120, windowMs: MINUTE, keys: [['url', 'user']] },
  // Appwrite accepts 0 and then fails to sign; a zero-second token is refused here instead.
  params: { duration: p.integer(1, 3600).optional(900) },
  status: 201,
  model: 'jwt',
  sdk: 'createJWT',
  async handler(call) {
    const { caller, services } = call;
    if (caller.via !== 'session') throw new AccountError('user_jwt_creation_denied');
    return { jwt: signJwt(services.jwtKey, { userId: caller.user.id, sessionId: caller.session.id }, call.params.duration!, services.now()) };
  },
});

export const jwtRoutes = [createJWT];
