// Creating and updating users: the one place that turns adapter conflicts into Appwrite's errors,
// keeps the user and its email/sms target together (both or neither), and a new password and its
// history entry together.
import { ConflictError, type StorageStores, type TargetRecord, type UserPatch, type UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { Services } from '../route';
import { newId } from './ids';

export interface NewUser {
  id: string | null;
  name?: string;
  email?: string | null;
  phone?: string | null;
  passwordHash?: string | null;
  emailVerification?: boolean;
  phoneVerification?: boolean;
}

/** Creates the user and a target for its email/phone in one transaction; duplicates → 409 user_already_exists. */
export async function createUser(services: Services, init: NewUser): Promise<UserRecord> {
  const { storage, config } = services;
  if (config.userLimit > 0 && (await storage.users.count()) >= config.userLimit) throw new AccountError('user_count_exceeded');
  const now = services.now();
  const id = init.id ?? newId();
  const targets: TargetRecord[] = [];
  const addTarget = (providerType: 'email' | 'sms', identifier: string) =>
    targets.push({ id: newId(), userId: id, createdAt: now, updatedAt: now, providerType, identifier, providerId: null, name: '', expired: false, sessionId: null });
  if (init.email) addTarget('email', init.email);
  if (init.phone) addTarget('sms', init.phone);
  try {
    return await storage.transaction(async (tx) => {
      const user = await tx.users.create({
        id,
        createdAt: now,
        updatedAt: now,
        name: init.name ?? '',
        email: init.email ?? null,
        phone: init.phone ?? null,
        passwordHash: init.passwordHash ?? null,
        passwordUpdatedAt: init.passwordHash ? now : null,
        status: true,
        labels: [],
        emailVerification: init.emailVerification ?? false,
        phoneVerification: init.phoneVerification ?? false,
        mfa: false,
        prefs: {},
        accessedAt: now,
        impersonator: false,
      });
      for (const target of targets) await tx.targets.create(target);
      if (init.passwordHash) await rememberPassword(services, tx, id, init.passwordHash, now);
      return { ...user, targets };
    });
  } catch (error) {
    if (error instanceof ConflictError) throw new AccountError('user_already_exists', undefined, { cause: error });
    throw error;
  }
}

/** Records a newly set password for the history policy; a no-op while the policy is off. */
async function rememberPassword(services: Services, stores: StorageStores, userId: string, passwordHash: string, at: Date): Promise<void> {
  const keep = services.config.password.history;
  if (keep > 0) await stores.passwordHistory.add(userId, passwordHash, at, keep);
}

/**
 * `users.update`, and when the patch sets a new password, its history entry in the same
 * transaction (pass `tx` when already inside one). Returns null when the user does not exist.
 */
export async function updateUserRecord(services: Services, id: string, patch: UserPatch, tx?: StorageStores): Promise<UserRecord | null> {
  const { passwordHash } = patch;
  if (!passwordHash || services.config.password.history === 0) return (tx ?? services.storage).users.update(id, patch);
  const write = async (stores: StorageStores) => {
    const user = await stores.users.update(id, patch);
    if (user) await rememberPassword(services, stores, id, passwordHash, patch.updatedAt ?? services.now());
    return user;
  };
  return tx ? write(tx) : services.storage.transaction(write);
}
