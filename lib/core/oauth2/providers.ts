// The OAuth2 provider table: for every provider key of Appwrite's list, where its endpoints are,
// which scopes it needs, how its profile is fetched and how id/email/name/verified are read from it.
// Endpoints marked `uncertain` follow the provider's public docs as best known (docs/oauth2.md).
import type { OAuth2ProviderOptions } from '../../options';

/** What account resolution needs from a provider's profile. */
export interface ProfileInfo {
  id: string;
  email: string;
  name: string;
  /** The provider says the email address is verified. */
  verified: boolean;
}

export interface ProviderEndpoints {
  authorize: string;
  token: string;
  profile: string;
}

export type Json = Record<string, unknown>;

/** GETs (or POSTs) a provider URL with the access token and returns the JSON body. */
export type FetchJson = (url: string, init?: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) => Promise<Json>;

export interface ProviderDefinition {
  key: string;
  /** Human name for the docs. */
  name: string;
  /** Extra settings besides clientId/clientSecret; the required ones must be set to enable the provider. */
  settings?: { required?: readonly string[]; optional?: readonly string[] };
  /** Endpoints from the settings (OIDC discovery is done by the caller, see oidc.ts). */
  endpoints(settings: OAuth2ProviderOptions): ProviderEndpoints;
  scopes: readonly string[];
  scopeSeparator?: string;
  /** PKCE (S256) is sent with the authorization request. */
  pkce?: boolean;
  /** Client authentication at the token endpoint: form fields (default) or HTTP Basic. */
  tokenAuth?: 'post' | 'basic';
  /** Extra authorization-request parameters. */
  authParams?: Record<string, string>;
  /** Authorization header scheme for the profile request. @default 'Bearer' */
  authScheme?: string;
  /** Extra headers for the profile request. */
  profileHeaders?(settings: OAuth2ProviderOptions): Record<string, string>;
  profileMethod?: 'GET' | 'POST';
  /** Replaces the single profile GET (extra calls, e.g. GitHub's email list). */
  fetchProfile?(fetchJson: FetchJson, endpoints: ProviderEndpoints, settings: OAuth2ProviderOptions, accessToken: string): Promise<Json>;
  /** The profile is read from the id_token of the token response instead of a profile endpoint. */
  profileFromIdToken?: boolean;
  /** Maps the raw profile to id/email/name/verified. */
  read(profile: Json): ProfileInfo;
  /** Endpoints or mapping not checked against a live provider. */
  uncertain?: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : '');
const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const truthy = (value: unknown): boolean => value === true || value === 'true' || value === 1 || value === '1';
const joinName = (...parts: unknown[]): string => parts.map(str).filter(Boolean).join(' ');

/** The standard OIDC claims: sub, email, email_verified, name. */
const oidcClaims = (p: Json): ProfileInfo => ({
  id: str(p.sub),
  email: str(p.email),
  name: str(p.name) || joinName(p.given_name, p.family_name) || str(p.preferred_username),
  verified: truthy(p.email_verified),
});

const OIDC_SCOPES = ['openid', 'profile', 'email'] as const;

function host(settings: OAuth2ProviderOptions, name = 'domain'): string {
  const value = settings[name];
  if (!value) throw new Error(`setting ${name} is required`);
  return value.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function paypal(sandbox: boolean): Omit<ProviderDefinition, 'key' | 'name'> {
  const web = sandbox ? 'https://www.sandbox.paypal.com' : 'https://www.paypal.com';
  const api = sandbox ? 'https://api-m.sandbox.paypal.com' : 'https://api-m.paypal.com';
  return {
    endpoints: () => ({
      authorize: `${web}/signin/authorize`,
      token: `${api}/v1/oauth2/token`,
      profile: `${api}/v1/identity/oauth2/userinfo?schema=paypalv1.1`,
    }),
    scopes: ['openid', 'profile', 'email'],
    tokenAuth: 'basic',
    authParams: { flowEntry: 'static' },
    read: (p) => {
      const emails = Array.isArray(p.emails) ? (p.emails as Json[]) : [];
      const primary = emails.find((e) => truthy(e.primary)) ?? emails[0] ?? {};
      return { id: str(p.payer_id) || str(p.user_id), email: str(primary.value) || str(p.email), name: str(p.name), verified: truthy(p.verified_account) && truthy(primary.confirmed ?? true) };
    },
    uncertain: 'verified = verified_account (and the email entry not unconfirmed)',
  };
}

function tradeshift(box: boolean): Omit<ProviderDefinition, 'key' | 'name'> {
  const base = box ? 'https://api-box.tradeshift.com' : 'https://api.tradeshift.com';
  return {
    endpoints: () => ({
      authorize: `${base}/tradeshift/auth/login`,
      token: `${base}/tradeshift/auth/token`,
      profile: `${base}/tradeshift/rest/external/account/info/user`,
    }),
    scopes: ['openid', 'offline'],
    tokenAuth: 'basic',
    read: (p) => ({ id: str(p.Id), email: str(p.Username), name: joinName(p.FirstName, p.LastName), verified: false }),
    uncertain: 'profile endpoint and field names',
  };
}

const LIST: ProviderDefinition[] = [
  {
    key: 'amazon',
    name: 'Amazon',
    endpoints: () => ({ authorize: 'https://www.amazon.com/ap/oa', token: 'https://api.amazon.com/auth/o2/token', profile: 'https://api.amazon.com/user/profile' }),
    scopes: ['profile'],
    read: (p) => ({ id: str(p.user_id), email: str(p.email), name: str(p.name), verified: true }),
  },
  {
    key: 'apple',
    name: 'Apple',
    settings: { required: ['keyId', 'teamId', 'privateKey'] },
    endpoints: () => ({ authorize: 'https://appleid.apple.com/auth/authorize', token: 'https://appleid.apple.com/auth/token', profile: '' }),
    scopes: ['name', 'email'],
    authParams: { response_mode: 'form_post' },
    profileFromIdToken: true,
    read: (p) => ({ id: str(p.sub), email: str(p.email), name: str(p.name), verified: truthy(p.email_verified) }),
  },
  {
    key: 'auth0',
    name: 'Auth0',
    settings: { required: ['domain'] },
    endpoints: (s) => ({ authorize: `https://${host(s)}/authorize`, token: `https://${host(s)}/oauth/token`, profile: `https://${host(s)}/userinfo` }),
    scopes: [...OIDC_SCOPES, 'offline_access'],
    pkce: true,
    read: oidcClaims,
  },
  {
    key: 'authentik',
    name: 'Authentik',
    settings: { required: ['domain'] },
    endpoints: (s) => ({
      authorize: `https://${host(s)}/application/o/authorize/`,
      token: `https://${host(s)}/application/o/token/`,
      profile: `https://${host(s)}/application/o/userinfo/`,
    }),
    scopes: [...OIDC_SCOPES, 'offline_access'],
    pkce: true,
    read: oidcClaims,
  },
  {
    key: 'autodesk',
    name: 'Autodesk',
    endpoints: () => ({
      authorize: 'https://developer.api.autodesk.com/authentication/v2/authorize',
      token: 'https://developer.api.autodesk.com/authentication/v2/token',
      profile: 'https://api.userprofile.autodesk.com/userinfo',
    }),
    scopes: ['user-profile:read'],
    tokenAuth: 'basic',
    read: oidcClaims,
    uncertain: 'profile endpoint (userinfo) and email_verified claim',
  },
  {
    key: 'bitbucket',
    name: 'Bitbucket',
    endpoints: () => ({ authorize: 'https://bitbucket.org/site/oauth2/authorize', token: 'https://bitbucket.org/site/oauth2/access_token', profile: 'https://api.bitbucket.org/2.0/user' }),
    scopes: ['account', 'email'],
    tokenAuth: 'basic',
    async fetchProfile(fetchJson, endpoints) {
      const user = await fetchJson(endpoints.profile);
      const emails = await fetchJson('https://api.bitbucket.org/2.0/user/emails').catch(() => ({}));
      return { ...user, emails: obj(emails).values ?? [] };
    },
    read: (p) => {
      const emails = Array.isArray(p.emails) ? (p.emails as Json[]) : [];
      const primary = emails.find((e) => truthy(e.is_primary)) ?? emails[0] ?? {};
      return { id: str(p.uuid) || str(p.account_id), email: str(primary.email), name: str(p.display_name) || str(p.username), verified: truthy(primary.is_confirmed) };
    },
  },
  {
    key: 'bitly',
    name: 'Bitly',
    endpoints: () => ({ authorize: 'https://bitly.com/oauth/authorize', token: 'https://api-ssl.bitly.com/oauth/access_token', profile: 'https://api-ssl.bitly.com/v4/user' }),
    scopes: [],
    read: (p) => {
      const emails = Array.isArray(p.emails) ? (p.emails as Json[]) : [];
      const primary = emails.find((e) => truthy(e.is_primary)) ?? emails[0] ?? {};
      return { id: str(p.login), email: str(primary.email), name: str(p.name) || str(p.login), verified: truthy(primary.is_verified) };
    },
  },
  {
    key: 'box',
    name: 'Box',
    endpoints: () => ({ authorize: 'https://account.box.com/api/oauth2/authorize', token: 'https://api.box.com/oauth2/token', profile: 'https://api.box.com/2.0/users/me' }),
    scopes: ['root_readonly'],
    read: (p) => ({ id: str(p.id), email: str(p.login), name: str(p.name), verified: false }),
    uncertain: 'default scope; Box reports no verified flag',
  },
  {
    key: 'dailymotion',
    name: 'Dailymotion',
    endpoints: () => ({
      authorize: 'https://www.dailymotion.com/oauth/authorize',
      token: 'https://api.dailymotion.com/oauth/token',
      profile: 'https://api.dailymotion.com/user/me?fields=id,email,fullname,username,verified',
    }),
    scopes: ['userinfo', 'email'],
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.fullname) || str(p.username), verified: truthy(p.verified) }),
  },
  {
    key: 'discord',
    name: 'Discord',
    endpoints: () => ({ authorize: 'https://discord.com/oauth2/authorize', token: 'https://discord.com/api/oauth2/token', profile: 'https://discord.com/api/users/@me' }),
    scopes: ['identify', 'email'],
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.global_name) || str(p.username), verified: truthy(p.verified) }),
  },
  {
    key: 'disqus',
    name: 'Disqus',
    endpoints: () => ({
      authorize: 'https://disqus.com/api/oauth/2.0/authorize/',
      token: 'https://disqus.com/api/oauth/2.0/access_token/',
      profile: 'https://disqus.com/api/3.0/users/details.json',
    }),
    scopes: ['read', 'email'],
    scopeSeparator: ',',
    async fetchProfile(fetchJson, endpoints, settings, accessToken) {
      const url = `${endpoints.profile}?api_key=${encodeURIComponent(settings.clientId)}&api_secret=${encodeURIComponent(settings.clientSecret)}&access_token=${encodeURIComponent(accessToken)}`;
      return obj((await fetchJson(url)).response);
    },
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.name) || str(p.username), verified: false }),
    uncertain: 'no verified flag; api_key/api_secret query parameters',
  },
  {
    key: 'dropbox',
    name: 'Dropbox',
    endpoints: () => ({ authorize: 'https://www.dropbox.com/oauth2/authorize', token: 'https://api.dropboxapi.com/oauth2/token', profile: 'https://api.dropboxapi.com/2/users/get_current_account' }),
    scopes: ['account_info.read'],
    pkce: true,
    profileMethod: 'POST',
    read: (p) => ({ id: str(p.account_id), email: str(p.email), name: str(obj(p.name).display_name), verified: truthy(p.email_verified) }),
  },
  {
    key: 'etsy',
    name: 'Etsy',
    endpoints: () => ({ authorize: 'https://www.etsy.com/oauth/connect', token: 'https://api.etsy.com/v3/public/oauth/token', profile: 'https://openapi.etsy.com/v3/application/users/me' }),
    scopes: ['email_r'],
    pkce: true,
    profileHeaders: (s) => ({ 'x-api-key': s.clientId }),
    async fetchProfile(fetchJson, endpoints) {
      const me = await fetchJson(endpoints.profile);
      const id = str(me.user_id);
      const user = id ? await fetchJson(`https://openapi.etsy.com/v3/application/users/${encodeURIComponent(id)}`).catch(() => ({})) : {};
      return { ...me, ...user };
    },
    read: (p) => ({ id: str(p.user_id), email: str(p.primary_email), name: joinName(p.first_name, p.last_name), verified: false }),
    uncertain: 'two-step profile (users/me then users/{id}); no verified flag',
  },
  {
    key: 'facebook',
    name: 'Facebook',
    endpoints: () => ({
      authorize: 'https://www.facebook.com/v19.0/dialog/oauth',
      token: 'https://graph.facebook.com/v19.0/oauth/access_token',
      profile: 'https://graph.facebook.com/v19.0/me?fields=id,email,name',
    }),
    scopes: ['email'],
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.name), verified: false }),
    uncertain: 'Graph API version; Facebook sends no verified flag, so emails count as unverified',
  },
  {
    key: 'github',
    name: 'GitHub',
    endpoints: () => ({ authorize: 'https://github.com/login/oauth/authorize', token: 'https://github.com/login/oauth/access_token', profile: 'https://api.github.com/user' }),
    scopes: ['user:email'],
    async fetchProfile(fetchJson, endpoints) {
      const user = await fetchJson(endpoints.profile);
      const emails = await fetchJson('https://api.github.com/user/emails').catch(() => []);
      return { ...user, emails: Array.isArray(emails) ? emails : [] };
    },
    read: (p) => {
      const emails = Array.isArray(p.emails) ? (p.emails as Json[]) : [];
      const primary = emails.find((e) => truthy(e.primary)) ?? emails.find((e) => str(e.email) === str(p.email));
      return { id: str(p.id), email: str(primary?.email) || str(p.email), name: str(p.name) || str(p.login), verified: truthy(primary?.verified) };
    },
  },
  {
    key: 'gitlab',
    name: 'GitLab',
    settings: { optional: ['endpoint'] },
    endpoints: (s) => {
      const base = (s.endpoint ?? 'https://gitlab.com').replace(/\/+$/, '');
      return { authorize: `${base}/oauth/authorize`, token: `${base}/oauth/token`, profile: `${base}/api/v4/user` };
    },
    scopes: ['read_user'],
    pkce: true,
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.name) || str(p.username), verified: Boolean(p.confirmed_at) }),
  },
  {
    key: 'google',
    name: 'Google',
    endpoints: () => ({
      authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      profile: 'https://openidconnect.googleapis.com/v1/userinfo',
    }),
    scopes: ['openid', 'email', 'profile'],
    pkce: true,
    authParams: { access_type: 'offline' },
    read: oidcClaims,
  },
  {
    key: 'linkedin',
    name: 'LinkedIn',
    endpoints: () => ({ authorize: 'https://www.linkedin.com/oauth/v2/authorization', token: 'https://www.linkedin.com/oauth/v2/accessToken', profile: 'https://api.linkedin.com/v2/userinfo' }),
    scopes: ['openid', 'profile', 'email'],
    read: oidcClaims,
  },
  {
    key: 'microsoft',
    name: 'Microsoft',
    settings: { optional: ['tenant'] },
    endpoints: (s) => {
      const tenant = encodeURIComponent(s.tenant || 'common');
      return {
        authorize: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
        token: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
        profile: 'https://graph.microsoft.com/v1.0/me',
      };
    },
    scopes: ['offline_access', 'user.read'],
    pkce: true,
    read: (p) => ({ id: str(p.id), email: str(p.mail) || str(p.userPrincipalName), name: str(p.displayName), verified: false }),
    uncertain: 'Microsoft Graph does not verify `mail`, so emails count as unverified',
  },
  {
    key: 'notion',
    name: 'Notion',
    endpoints: () => ({ authorize: 'https://api.notion.com/v1/oauth/authorize', token: 'https://api.notion.com/v1/oauth/token', profile: 'https://api.notion.com/v1/users/me' }),
    scopes: [],
    tokenAuth: 'basic',
    authParams: { owner: 'user' },
    profileHeaders: () => ({ 'Notion-Version': '2022-06-28' }),
    read: (p) => {
      const user = obj(obj(obj(p.bot).owner).user);
      const source = Object.keys(user).length ? user : p;
      return { id: str(source.id), email: str(obj(source.person).email), name: str(source.name), verified: false };
    },
    uncertain: 'users/me returns the bot; the owner user is read from bot.owner.user',
  },
  {
    key: 'oidc',
    name: 'OpenID Connect',
    settings: { required: ['issuer'], optional: ['authorizationEndpoint', 'tokenEndpoint', 'userinfoEndpoint'] },
    // Filled by discovery (oidc.ts); these are the explicit settings when given.
    endpoints: (s) => ({ authorize: s.authorizationEndpoint ?? '', token: s.tokenEndpoint ?? '', profile: s.userinfoEndpoint ?? '' }),
    scopes: OIDC_SCOPES,
    pkce: true,
    read: oidcClaims,
  },
  {
    key: 'okta',
    name: 'Okta',
    settings: { required: ['domain'], optional: ['authorizationServerId'] },
    endpoints: (s) => {
      const base = `https://${host(s)}/oauth2/${encodeURIComponent(s.authorizationServerId || 'default')}/v1`;
      return { authorize: `${base}/authorize`, token: `${base}/token`, profile: `${base}/userinfo` };
    },
    scopes: [...OIDC_SCOPES, 'offline_access'],
    pkce: true,
    read: oidcClaims,
  },
  { key: 'paypal', name: 'PayPal', ...paypal(false) },
  { key: 'paypalSandbox', name: 'PayPal Sandbox', ...paypal(true) },
  {
    key: 'podio',
    name: 'Podio',
    endpoints: () => ({ authorize: 'https://podio.com/oauth/authorize', token: 'https://podio.com/oauth/token', profile: 'https://api.podio.com/user' }),
    scopes: [],
    authScheme: 'OAuth2',
    async fetchProfile(fetchJson, endpoints) {
      const user = await fetchJson(endpoints.profile);
      const profile = await fetchJson('https://api.podio.com/user/profile').catch(() => ({}));
      return { ...user, profile };
    },
    read: (p) => ({ id: str(p.user_id), email: str(p.mail), name: str(obj(p.profile).name), verified: false }),
    uncertain: 'profile endpoints (user + user/profile) and the `OAuth2` authorization scheme',
  },
  {
    key: 'salesforce',
    name: 'Salesforce',
    settings: { optional: ['domain'] },
    endpoints: (s) => {
      const base = `https://${s.domain ? host(s) : 'login.salesforce.com'}/services/oauth2`;
      return { authorize: `${base}/authorize`, token: `${base}/token`, profile: `${base}/userinfo` };
    },
    scopes: ['openid', 'email', 'profile', 'refresh_token'],
    pkce: true,
    read: (p) => ({ id: str(p.user_id) || str(p.sub), email: str(p.email), name: str(p.name), verified: truthy(p.email_verified) }),
  },
  {
    key: 'slack',
    name: 'Slack',
    endpoints: () => ({
      authorize: 'https://slack.com/openid/connect/authorize',
      token: 'https://slack.com/api/openid.connect.token',
      profile: 'https://slack.com/api/openid.connect.userInfo',
    }),
    scopes: ['openid', 'email', 'profile'],
    read: (p) => ({ id: str(p['https://slack.com/user_id']) || str(p.sub), email: str(p.email), name: str(p.name), verified: truthy(p.email_verified) }),
  },
  {
    key: 'spotify',
    name: 'Spotify',
    endpoints: () => ({ authorize: 'https://accounts.spotify.com/authorize', token: 'https://accounts.spotify.com/api/token', profile: 'https://api.spotify.com/v1/me' }),
    scopes: ['user-read-email'],
    pkce: true,
    tokenAuth: 'basic',
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.display_name), verified: false }),
    uncertain: 'Spotify reports no verified flag',
  },
  {
    key: 'stripe',
    name: 'Stripe',
    endpoints: () => ({ authorize: 'https://connect.stripe.com/oauth/authorize', token: 'https://connect.stripe.com/oauth/token', profile: 'https://api.stripe.com/v1/account' }),
    scopes: ['read_only'],
    read: (p) => ({
      id: str(p.id),
      email: str(p.email),
      name: str(obj(p.business_profile).name) || str(obj(obj(p.settings).dashboard).display_name),
      verified: false,
    }),
    uncertain: 'Stripe Connect accounts: profile is the connected account (GET /v1/account)',
  },
  { key: 'tradeshift', name: 'Tradeshift', ...tradeshift(false) },
  { key: 'tradeshiftBox', name: 'Tradeshift Sandbox (Box)', ...tradeshift(true) },
  {
    key: 'twitch',
    name: 'Twitch',
    endpoints: () => ({ authorize: 'https://id.twitch.tv/oauth2/authorize', token: 'https://id.twitch.tv/oauth2/token', profile: 'https://api.twitch.tv/helix/users' }),
    scopes: ['user:read:email'],
    profileHeaders: (s) => ({ 'Client-Id': s.clientId }),
    read: (p) => {
      const user = Array.isArray(p.data) ? obj(p.data[0]) : p;
      return { id: str(user.id), email: str(user.email), name: str(user.display_name) || str(user.login), verified: false };
    },
    uncertain: 'Twitch reports no verified flag',
  },
  {
    key: 'wordpress',
    name: 'WordPress.com',
    endpoints: () => ({
      authorize: 'https://public-api.wordpress.com/oauth2/authorize',
      token: 'https://public-api.wordpress.com/oauth2/token',
      profile: 'https://public-api.wordpress.com/rest/v1/me',
    }),
    scopes: ['auth'],
    read: (p) => ({ id: str(p.ID), email: str(p.email), name: str(p.display_name) || str(p.username), verified: truthy(p.email_verified) }),
  },
  {
    key: 'yahoo',
    name: 'Yahoo',
    endpoints: () => ({
      authorize: 'https://api.login.yahoo.com/oauth2/request_auth',
      token: 'https://api.login.yahoo.com/oauth2/get_token',
      profile: 'https://api.login.yahoo.com/openid/v1/userinfo',
    }),
    scopes: ['openid', 'email', 'profile'],
    tokenAuth: 'basic',
    read: oidcClaims,
  },
  {
    key: 'yammer',
    name: 'Yammer',
    endpoints: () => ({
      authorize: 'https://www.yammer.com/oauth2/authorize',
      token: 'https://www.yammer.com/oauth2/access_token.json',
      profile: 'https://www.yammer.com/api/v1/users/current.json',
    }),
    scopes: [],
    read: (p) => ({ id: str(p.id), email: str(p.email), name: str(p.full_name), verified: false }),
    uncertain: 'Yammer is being retired into Viva Engage; no verified flag',
  },
  {
    key: 'yandex',
    name: 'Yandex',
    endpoints: () => ({ authorize: 'https://oauth.yandex.com/authorize', token: 'https://oauth.yandex.com/token', profile: 'https://login.yandex.ru/info?format=json' }),
    scopes: ['login:email', 'login:info'],
    authScheme: 'OAuth',
    read: (p) => ({ id: str(p.id), email: str(p.default_email), name: str(p.real_name) || str(p.display_name) || str(p.login), verified: false }),
  },
  {
    key: 'zoho',
    name: 'Zoho',
    settings: { optional: ['domain'] },
    endpoints: (s) => {
      const base = `https://${s.domain ? host(s) : 'accounts.zoho.com'}`;
      return { authorize: `${base}/oauth/v2/auth`, token: `${base}/oauth/v2/token`, profile: `${base}/oauth/user/info` };
    },
    scopes: ['email', 'profile'],
    authScheme: 'Zoho-oauthtoken',
    authParams: { access_type: 'offline' },
    read: (p) => ({ id: str(p.ZUID), email: str(p.Email), name: str(p.Display_Name) || joinName(p.First_Name, p.Last_Name), verified: false }),
    uncertain: 'data-centre domains (accounts.zoho.eu, …) via the `domain` setting',
  },
  {
    key: 'zoom',
    name: 'Zoom',
    endpoints: () => ({ authorize: 'https://zoom.us/oauth/authorize', token: 'https://zoom.us/oauth/token', profile: 'https://api.zoom.us/v2/users/me' }),
    scopes: ['user_profile'],
    tokenAuth: 'basic',
    pkce: true,
    read: (p) => ({ id: str(p.id), email: str(p.email), name: joinName(p.first_name, p.last_name) || str(p.display_name), verified: p.verified === 1 || p.verified === true }),
  },
];

export const PROVIDERS: ReadonlyMap<string, ProviderDefinition> = new Map(LIST.map((d) => [d.key, d]));
export const PROVIDER_KEYS: readonly string[] = LIST.map((d) => d.key);

/** The settings of a provider if it is enabled (client id, secret and required extras set), else null. */
export function enabledSettings(configured: Record<string, OAuth2ProviderOptions>, key: string): OAuth2ProviderOptions | null {
  const settings = Object.prototype.hasOwnProperty.call(configured, key) ? configured[key] : undefined;
  const def = PROVIDERS.get(key);
  if (!settings || !def || !settings.clientId || (!settings.clientSecret && key !== 'apple')) return null;
  if ((def.settings?.required ?? []).some((name) => !settings[name])) return null;
  return settings;
}
