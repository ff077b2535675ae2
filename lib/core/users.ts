// Users: the one module that creates and changes them. Creating one; changing one (every route,
// and the Users API to come, goes through updateUser); and the three bookkeeping writes that are
// no change of the account (a rehashed password, a sign-in's breached-password finding,
// accessedAt). A user and its email/sms targets move together, a new password and its history
// entry too; conflicts are answered by core/conflicts.ts.
import type { StorageStores, TargetRecord, UserPatch, UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { Services } from '../route';
import { answerConflicts } from './conflicts';
import { newId } from './ids';

const DAY_MS = 86_400_000;

/** The targets that follow the account's contact fields: the email's, and the phone's (sms). */
const CONTACT_TARGETS = [
  { field: 'email', providerType: 'email' },
  { field: 'phone', providerType: 'sms' },
] as const;

/** A messaging target of `userId`, as every writer of targets builds it. */
export function newTarget(init: {
  userId: string;
  providerType: TargetRecord['providerType'];
  identifier: string;
  at: Date;
  id?: string | null;
  providerId?: string | null;
  name?: string;
  sessionId?: string | null;
}): TargetRecord {
  return {
    id: init.id ?? newId(),
    userId: init.userId,
    createdAt: init.at,
    updatedAt: init.at,
    providerType: init.providerType,
    identifier: init.identifier,
    providerId: init.providerId ?? null,
    name: init.name ?? '',
    expired: false,
    sessionId: init.sessionId ?? null,
  };
}

export interface NewUser {
  id: string | null;
  name?: string;
  email?: string | null;
  phone?: string | null;
  passwordHash?: string | null;
  /** What the breached-password check said of the password (see core/password-policy.ts). */
  passwordPwned?: boolean | null;
  emailVerification?: boolean;
  phoneVerification?: boolean;
}

/** Creates the user and a target for its email/phone in one transaction; duplicates → 409 user_already_exists. */
export async function createUser(services: Services, init: NewUser): Promise<UserRecord> {
  const { storage, config } = services;
  if (config.userLimit > 0 && (await storage.users.count()) >= config.userLimit) throw new AccountError('user_count_exceeded');
  const at = services.now();
  const id = init.id ?? newId();
  const targets = CONTACT_TARGETS.filter(({ field }) => init[field]).map(({ field, providerType }) => newTarget({ userId: id, providerType, identifier: init[field]!, at }));
  return answerConflicts(
    'new user',
    storage.transaction(async (tx) => {
      const user = await tx.users.create({
        id,
        createdAt: at,
        updatedAt: at,
        name: init.name ?? '',
        email: init.email ?? null,
        phone: init.phone ?? null,
        passwordHash: init.passwordHash ?? null,
        passwordUpdatedAt: init.passwordHash ? at : null,
        passwordPwned: init.passwordPwned ?? null,
        status: true,
        labels: [],
        emailVerification: init.emailVerification ?? false,
        phoneVerification: init.phoneVerification ?? false,
        mfa: false,
        prefs: {},
        accessedAt: at,
        impersonator: false,
      });
      for (const target of targets) await tx.targets.create(target);
      if (init.passwordHash) await rememberPassword(services, tx, id, init.passwordHash, at);
      return { ...user, targets };
    }),
  );
}

/** What a change sets; updatedAt is stamped, and passwordUpdatedAt with a new passwordHash. */
export type UserChange = Omit<UserPatch, 'updatedAt' | 'passwordUpdatedAt' | 'accessedAt'>;

/**
 * The one way an account changes. Stamps updatedAt (and passwordUpdatedAt for a new password,
 * which the history policy remembers); a new email or phone takes its messaging target along,
 * refused with 409 user_target_already_exists when another target has it, all in one
 * transaction, so a clash leaves nothing half-changed; a cleared one (null) takes its target away.
 * 404 user_not_found when the user is gone. `user` is the account as read before the change (its
 * targets say which one to move); `by` says who asks, which decides how a clash is answered
 * (core/conflicts.ts): the owner through the Account API, or an admin through the Users API.
 */
export async function updateUser(services: Services, user: UserRecord, change: UserChange, by: 'owner' | 'admin' = 'owner'): Promise<UserRecord> {
  const at = services.now();
  const patch: UserPatch = { ...change, updatedAt: at, ...(change.passwordHash ? { passwordUpdatedAt: at } : {}) };
  const moves = CONTACT_TARGETS.flatMap(({ field, providerType }) => {
    const identifier = change[field];
    return typeof identifier === 'string' ? [{ providerType, identifier }] : [];
  });
  // A cleared email or phone (the Users API allows it) takes its target away with it.
  const dropped = CONTACT_TARGETS.flatMap(({ field, providerType }) =>
    change[field] === null ? user.targets.filter((t) => t.providerType === providerType && t.identifier === user[field]) : [],
  );
  const remembers = !!change.passwordHash && services.config.password.history > 0;
  const write = async (stores: StorageStores): Promise<UserRecord> => {
    for (const { providerType, identifier } of moves) {
      if (await stores.targets.getByIdentifier(providerType, identifier)) throw new AccountError('user_target_already_exists');
    }
    const updated = await stores.users.update(user.id, patch);
    if (!updated) throw new AccountError('user_not_found');
    if (remembers) await rememberPassword(services, stores, user.id, change.passwordHash!, at);
    for (const target of dropped) await stores.targets.delete(target.id);
    if (!moves.length && !dropped.length) return updated;
    for (const { providerType, identifier } of moves) {
      const target = user.targets.find((t) => t.providerType === providerType);
      if (target) await stores.targets.update(target.id, { identifier, updatedAt: at });
      else await stores.targets.create(newTarget({ userId: user.id, providerType, identifier, at }));
    }
    return (await stores.users.get(user.id))!;
  };
  // A lone field is one statement; a transaction only where two tables move together.
  const tables = moves.length || dropped.length || remembers;
  return answerConflicts(by === 'admin' ? 'user change by admin' : 'user change', tables ? services.storage.transaction(write) : write(services.storage));
}

/** A stronger hash of the same password, found at sign-in: not a new password, so no history and no stamp. */
export async function replacePasswordHash(services: Services, user: UserRecord, passwordHash: string): Promise<void> {
  await services.storage.users.update(user.id, { passwordHash });
}

/** What the breached-password check said of the current password at sign-in: a finding about it, not a change. */
export async function recordPasswordCheck(services: Services, user: UserRecord, passwordPwned: boolean): Promise<UserRecord> {
  return (await services.storage.users.update(user.id, { passwordPwned })) ?? { ...user, passwordPwned };
}

/** Moves accessedAt at most once a day, so reads stay reads; null when it is not due. */
export function noteAccess(services: Services, user: UserRecord): Promise<unknown> | null {
  const at = services.now();
  if (at.getTime() - user.accessedAt.getTime() < DAY_MS) return null;
  return services.storage.users.update(user.id, { accessedAt: at });
}

/** Records a newly set password for the history policy; a no-op while the policy is off. */
async function rememberPassword(services: Services, stores: StorageStores, userId: string, passwordHash: string, at: Date): Promise<void> {
  const keep = services.config.password.history;
  if (keep > 0) await stores.passwordHistory.add(userId, passwordHash, at, keep);
}
