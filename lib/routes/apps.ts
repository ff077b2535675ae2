// node-appwrite's Apps service (Appwrite 2.x's OAuth2 applications) for the authorization server's
// clients, with an API key holding `apps.write` / `apps.read`: register a confidential or public
// client, read it, give a confidential one a new secret (shown once), delete it. The rest of the
// service (lists, updates, labels, teams, installations, several live secrets) is not served.
import { p } from '../params';
import { defineRoute } from '../route';
import { AccountError } from '../errors';
import { answerConflicts } from '../core/conflicts';
import { newId } from '../core/ids';
import { randomHex } from '../core/secrets';
import { registerClient } from '../idp/clients';
import { OAuthError } from '../idp/errors';
import { isRedirectUri } from '../idp/options';
import type { Services } from '../route';
import type { OAuthClientRecord } from '../../adapters/types';

/** The client, or 404 `app_not_found` (also when the identity provider is off). */
async function existingApp(services: Services, appId: string): Promise<OAuthClientRecord> {
  const client = services.config.identityProvider ? await services.storage.oauthClients.get(appId) : null;
  // Clients of metadata documents and dynamic registration are not the host's to administer.
  if (!client || client.source !== 'host') throw new AccountError('app_not_found');
  return client;
}

/**
 * Registers a client: `confidential` (the default, as in Appwrite) has no usable secret until
 * `createSecret`; `public` authenticates by PKCE alone.
 */
export const create = defineRoute({
  method: 'post',
  path: '/apps',
  scope: 'server',
  keyScopes: ['apps.write'],
  params: {
    appId: p.customId(),
    name: p.text(1, 128),
    redirectUris: p.stringArray(10, 2048),
    type: p.oneOf(['confidential', 'public'] as const).optional('confidential'),
    clientUri: p.text(0, 2048).optional(''),
  },
  status: 201,
  model: 'app',
  sdk: 'create',
  async handler({ services, params }) {
    if (!services.config.identityProvider) throw new AccountError('general_route_not_found');
    if (!params.redirectUris.length || !params.redirectUris.every(isRedirectUri)) {
      throw new AccountError('general_argument_invalid', 'Invalid `redirectUris` param: 1–10 absolute URIs: https, http on a loopback address, or a private-use scheme, without fragment.');
    }
    const input = { id: params.appId ?? undefined, name: params.name, redirectUris: params.redirectUris, confidential: params.type === 'confidential', clientUri: params.clientUri };
    try {
      // The generated secret is dropped unseen: Appwrite hands secrets out through createSecret only.
      const { client } = await answerConflicts('new app', registerClient(services, input, 'host'));
      return client;
    } catch (error) {
      if (error instanceof OAuthError) throw new AccountError('general_argument_invalid', error.description, { cause: error });
      throw error;
    }
  },
});

/** One client as node-appwrite's `Models.App` (no secret: it is shown only by createSecret). */
export const get = defineRoute({
  method: 'get',
  path: '/apps/:appId',
  scope: 'server',
  keyScopes: ['apps.read', 'apps.write'],
  params: { appId: p.uid() },
  status: 200,
  model: 'app',
  sdk: 'get',
  async handler({ services, params }) {
    return existingApp(services, params.appId);
  },
});

/**
 * A new secret for a confidential client, answered once and stored only as a keyed hash. It
 * replaces the previous one at once: a client here has one live secret.
 */
export const createSecret = defineRoute({
  method: 'post',
  path: '/apps/:appId/secrets',
  scope: 'server',
  keyScopes: ['apps.write'],
  params: { appId: p.uid() },
  status: 201,
  model: 'appSecretPlaintext',
  sdk: 'createSecret',
  async handler({ services, params }) {
    const client = await existingApp(services, params.appId);
    if (client.secretHash === null) throw new AccountError('general_argument_invalid', 'A public application has no secret.');
    const secret = randomHex(32);
    const now = services.now();
    await services.storage.oauthClients.put({ ...client, secretHash: services.secrets.hash(secret), updatedAt: now });
    return { id: newId(), clientId: client.id, secret, createdAt: now };
  },
});

/** Deletes the client with every consent, code and token family under it. */
export const remove = defineRoute({
  method: 'delete',
  path: '/apps/:appId',
  scope: 'server',
  keyScopes: ['apps.write'],
  params: { appId: p.uid() },
  status: 204,
  model: undefined,
  sdk: 'delete',
  async handler({ services, params }) {
    const client = await existingApp(services, params.appId);
    if (!(await services.storage.oauthClients.delete(client.id))) throw new AccountError('app_not_found');
  },
});

export const appRoutes = [create, get, createSecret, remove];
