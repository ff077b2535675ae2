// Which account an OAuth2 sign-in lands in (spec §7.4) and the identity record that links the
// two: the caller's own account when signed in, else the identity's, else the account with the
// verified email, else a new one. Both the browser flow and native ID-token sign-in go through
// here. Provider tokens are kept encrypted and shown decrypted.
import type { IdentityPatch, IdentityRecord, UserRecord } from '../../../adapters/types';
import { AccountError } from '../../errors';
import type { Caller, Services } from '../../route';
import { answerConflicts } from '../conflicts';
import { newId } from '../ids';
import { createUser, updateUser, type UserChange } from '../users';
import type { ProfileInfo } from './providers';

/** Spec §7.4: which account this provider identity signs in to. */
export async function resolveAccount(services: Services, caller: Caller | null, provider: string, profile: ProfileInfo): Promise<UserRecord> {
  const { storage } = services;
  const identity = await storage.identities.getByProviderUid(provider, profile.id);
  let user: UserRecord | null;
  if (caller) {
    user = caller.user;
    if (identity && identity.userId !== user.id) throw new AccountError('user_already_exists');
    if (profile.email) {
      const owner = await storage.users.getByEmail(profile.email);
      if (owner && owner.id !== user.id) throw new AccountError('user_already_exists');
      const other = await storage.identities.getByProviderEmail(profile.email);
      if (other && other.userId !== user.id) throw new AccountError('user_already_exists');
    }
  } else if (identity) {
    user = await storage.users.get(identity.userId);
    if (!user) throw new AccountError('user_not_found');
  } else {
    if (!profile.email) throw new AccountError('user_unauthorized');
    user = await storage.users.getByEmail(profile.email);
    if (!user) {
      const byIdentity = await storage.identities.getByProviderEmail(profile.email);
      if (byIdentity) user = await storage.users.get(byIdentity.userId);
    }
    if (user && !profile.verified) {
      throw new AccountError('general_bad_request', 'An account with this email address exists, but the provider did not verify the address.');
    }
    if (!user) return createUser(services, { id: null, email: profile.email, emailVerification: profile.verified, name: profile.name.slice(0, 128) });
  }
  // Fill what the account lacks (an email nobody else has); never downgrade verification.
  const change: UserChange = {};
  if (!user.email && profile.email) {
    if (await storage.users.getByEmail(profile.email)) throw new AccountError('user_already_exists');
    change.email = profile.email;
    change.emailVerification = profile.verified;
  } else if (user.email === profile.email && profile.verified && !user.emailVerification) {
    change.emailVerification = true;
  }
  if (!user.name && profile.name) change.name = profile.name.slice(0, 128);
  return Object.keys(change).length ? updateUser(services, user, change) : user;
}

/**
 * What a sign-in brings to keep on the identity. The browser flow brings access and refresh
 * tokens; a native sign-in brings its ID token and at most an access token. A field left out
 * keeps what is stored (a new identity stores '' / null).
 */
export interface IdentityCredentials {
  accessToken?: string;
  refreshToken?: string;
  accessTokenExpiry?: Date | null;
  idToken?: string;
}

/** Creates or refreshes the identity linking `user` to the provider account, with its tokens sealed. */
export async function upsertIdentity(services: Services, user: UserRecord, provider: string, profile: ProfileInfo, credentials: IdentityCredentials): Promise<IdentityRecord> {
  const { storage, box } = services;
  const now = services.now();
  const sealed: IdentityPatch = {
    ...(credentials.accessToken !== undefined ? { providerAccessToken: box.seal(credentials.accessToken) } : {}),
    ...(credentials.refreshToken !== undefined ? { providerRefreshToken: box.seal(credentials.refreshToken) } : {}),
    ...(credentials.accessTokenExpiry !== undefined ? { providerAccessTokenExpiry: credentials.accessTokenExpiry } : {}),
    ...(credentials.idToken !== undefined ? { providerIdToken: box.seal(credentials.idToken) } : {}),
  };
  const existing = await storage.identities.getByProviderUid(provider, profile.id);
  if (existing) {
    if (existing.userId !== user.id) throw new AccountError('user_already_exists');
    return (await storage.identities.update(existing.id, { ...sealed, providerEmail: profile.email, updatedAt: now })) ?? existing;
  }
  if (profile.email) {
    const other = await storage.identities.getByProviderEmail(profile.email);
    if (other && other.userId !== user.id) throw new AccountError('general_bad_request');
  }
  const created: IdentityRecord = {
    id: newId(),
    userId: user.id,
    createdAt: now,
    updatedAt: now,
    provider,
    providerUid: profile.id,
    providerEmail: profile.email,
    providerAccessToken: '',
    providerRefreshToken: '',
    providerAccessTokenExpiry: null,
    providerIdToken: '',
    ...sealed,
  };
  return answerConflicts('new identity', storage.identities.create(created));
}

/** An identity as the API shows it: provider tokens decrypted. */
export function revealIdentity(services: Services, identity: IdentityRecord): IdentityRecord {
  return {
    ...identity,
    providerAccessToken: services.box.open(identity.providerAccessToken) ?? '',
    providerRefreshToken: services.box.open(identity.providerRefreshToken) ?? '',
    providerIdToken: services.box.open(identity.providerIdToken) ?? '',
  };
}
