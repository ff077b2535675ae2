// Push targets (spec §5.7): a device's push token, registered from a signed-in session, named
// after the device ("<brand> <model>" from the user agent). Email and SMS targets follow the
// account's email and phone (lib/routes/account.ts) and are not touched here.
import type { TargetRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import { p } from '../params';
import { defineRoute, type Caller } from '../route';
import { sessionCaller } from '../core/sessions';
import { describeClient } from '../core/client-info';
import { answerConflicts } from '../core/conflicts';
import { newTarget } from '../core/users';

function deviceName(userAgent: string): string {
  const client = describeClient(userAgent);
  return `${client.deviceBrand} ${client.deviceModel}`.trim();
}

/** The caller's own push target, else 404 (another user's target is indistinguishable from none). */
async function ownPushTarget(call: { caller: Caller; services: { storage: { targets: { get(id: string): Promise<TargetRecord | null> } } } }, id: string): Promise<TargetRecord> {
  const target = await call.services.storage.targets.get(id);
  if (!target || target.userId !== call.caller.user.id || target.providerType !== 'push') throw new AccountError('user_target_not_found');
  return target;
}

/**
 * Registers a device's push token from the caller's session, named after the device (`<brand>
 * <model>` from the user agent). 409 `user_target_already_exists` for a used id.
 */
export const createPushTarget = defineRoute({
  method: 'post',
  path: '/account/targets/push',
  scope: 'user',
  keyScopes: ['targets.write'],
  params: { targetId: p.customId(), identifier: p.text(1, 255), providerId: p.uid().optional() },
  status: 201,
  model: 'target',
  sdk: 'createPushTarget',
  audit: 'target.create',
  async handler(call) {
    const { services, caller, params, request } = call;
    const target = newTarget({
      id: params.targetId,
      userId: caller.user.id,
      providerType: 'push',
      identifier: params.identifier,
      providerId: params.providerId,
      name: deviceName(request.userAgent),
      sessionId: sessionCaller(caller).session.id,
      at: services.now(),
    });
    return answerConflicts('new target', services.storage.targets.create(target));
  },
});

/**
 * Replaces a push target's token (and renames it after the calling device). Another user's target
 * is 404 `user_target_not_found`.
 */
export const updatePushTarget = defineRoute({
  method: 'put',
  path: '/account/targets/:targetId/push',
  scope: 'user',
  keyScopes: ['targets.write'],
  params: { targetId: p.uid(), identifier: p.text(1, 255) },
  status: 200,
  model: 'target',
  sdk: 'updatePushTarget',
  audit: 'target.update',
  async handler(call) {
    const { services, params, request } = call;
    const target = await ownPushTarget(call, params.targetId);
    const patch = { identifier: params.identifier, expired: false, name: deviceName(request.userAgent), updatedAt: services.now() };
    const updated = await answerConflicts('target change', services.storage.targets.update(target.id, patch));
    if (!updated) throw new AccountError('user_target_not_found');
    return updated;
  },
});

/** Deletes one of the caller's push targets. */
export const deletePushTarget = defineRoute({
  method: 'delete',
  path: '/account/targets/:targetId/push',
  scope: 'user',
  keyScopes: ['targets.write'],
  params: { targetId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'deletePushTarget',
  audit: 'target.delete',
  async handler(call) {
    const target = await ownPushTarget(call, call.params.targetId);
    if (!(await call.services.storage.targets.delete(target.id))) throw new AccountError('user_target_not_found');
  },
});

export const targetRoutes = [createPushTarget, updatePushTarget, deletePushTarget];
