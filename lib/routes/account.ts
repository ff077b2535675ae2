// The account itself: sign-up, reading it, and preferences.
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute } from '../route';
import { createUser } from '../core/users';

export const create = defineRoute({
  method: 'post',
  path: '/account',
  scope: 'any',
  // userId is optional so that 0.6-era SDKs, which never send it, still sign up.
  params: { userId: p.customId().optional(null), email: p.email(), password: p.password(), name: p.text(1, 128).optional('') },
  status: 201,
  model: 'account',
  sdk: 'create',
  audit: 'user.create',
  async handler(call) {
    const { userId, email, password, name } = call.params;
    const passwordHash = await call.services.passwords.hash(password);
    const user = await createUser(call.services, { id: userId ?? null, email, name, passwordHash });
    call.actor = user;
    return user;
  },
});

export const get = defineRoute({
  method: 'get',
  path: '/account',
  scope: 'user',
  params: {},
  status: 200,
  model: 'account',
  sdk: 'get',
  async handler(call) {
    return call.caller.user;
  },
});

export const getPrefs = defineRoute({
  method: 'get',
  path: '/account/prefs',
  scope: 'user',
  params: {},
  status: 200,
  model: 'preferences',
  sdk: 'getPrefs',
  async handler(call) {
    return call.caller.user;
  },
});

export const updatePrefs = defineRoute({
  method: 'patch',
  path: '/account/prefs',
  scope: 'user',
  params: { prefs: p.object(65535) },
  status: 200,
  model: 'account',
  sdk: 'updatePrefs',
  audit: 'user.update',
  async handler(call) {
    const { services, caller } = call;
    const user = await services.storage.users.update(caller.user.id, { prefs: call.params.prefs, updatedAt: services.now() });
    if (!user) throw new AccountError('user_not_found');
    return user;
  },
});

export const accountRoutes = [create, get, getPrefs, updatePrefs];
