// The provider table: every key of Appwrite's list builds a correct authorization URL through its
// Passport strategy (client id, redirect URI, scopes, state, PKCE) and maps a sample profile.
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { OAuth2ProviderOptions } from '../../lib/options';
import { PROVIDER_KEYS, PROVIDERS, enabledSettings } from '../../lib/core/oauth2';
import { appleClientSecret } from '../../lib/core/oauth2/strategy';
import { startTestServer, type TestServer } from '../helpers/test-instance';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const P8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const EXPECTED_KEYS = [
  'amazon', 'apple', 'auth0', 'authentik', 'autodesk', 'bitbucket', 'bitly', 'box', 'dailymotion', 'discord', 'disqus', 'dropbox', 'etsy',
  'facebook', 'github', 'gitlab', 'google', 'linkedin', 'microsoft', 'notion', 'oidc', 'okta', 'paypal', 'paypalSandbox', 'podio',
  'salesforce', 'slack', 'spotify', 'stripe', 'tradeshift', 'tradeshiftBox', 'twitch', 'wordpress', 'yahoo', 'yammer', 'yandex', 'zoho', 'zoom',
];

function settingsFor(key: string): OAuth2ProviderOptions {
  const base: OAuth2ProviderOptions = { clientId: `id-${key}`, clientSecret: `secret-${key}` };
  switch (key) {
    case 'apple':
      return { ...base, keyId: 'KEY123', teamId: 'TEAM123', privateKey: P8 };
    case 'auth0':
    case 'authentik':
    case 'okta':
      return { ...base, domain: `${key}.example.com` };
    case 'microsoft':
      return { ...base, tenant: 'contoso' };
    case 'oidc':
      return { ...base, issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/auth', tokenEndpoint: 'https://idp.example.com/token', userinfoEndpoint: 'https://idp.example.com/me' };
    default:
      return base;
  }
}

/** A sample raw profile per provider and what it must map to. */
const SAMPLES: Record<string, [Record<string, unknown>, { id: string; email: string; name: string; verified: boolean }]> = {
  amazon: [{ user_id: 'amzn1.account.X', email: 'a@example.com', name: 'Ann' }, { id: 'amzn1.account.X', email: 'a@example.com', name: 'Ann', verified: true }],
  apple: [{ sub: '001.apple', email: 'a@privaterelay.appleid.com', email_verified: 'true' }, { id: '001.apple', email: 'a@privaterelay.appleid.com', name: '', verified: true }],
  auth0: [{ sub: 'auth0|1', email: 'a@example.com', email_verified: true, name: 'Ann' }, { id: 'auth0|1', email: 'a@example.com', name: 'Ann', verified: true }],
  authentik: [{ sub: 'ak1', email: 'a@example.com', email_verified: false, name: 'Ann' }, { id: 'ak1', email: 'a@example.com', name: 'Ann', verified: false }],
  autodesk: [{ sub: 'ADSK1', email: 'a@example.com', email_verified: true, given_name: 'Ann', family_name: 'Lee' }, { id: 'ADSK1', email: 'a@example.com', name: 'Ann Lee', verified: true }],
  bitbucket: [
    { uuid: '{u-1}', display_name: 'Ann', emails: [{ email: 'x@example.com', is_primary: false, is_confirmed: true }, { email: 'a@example.com', is_primary: true, is_confirmed: true }] },
    { id: '{u-1}', email: 'a@example.com', name: 'Ann', verified: true },
  ],
  bitly: [{ login: 'ann', name: 'Ann', emails: [{ email: 'a@example.com', is_primary: true, is_verified: true }] }, { id: 'ann', email: 'a@example.com', name: 'Ann', verified: true }],
  box: [{ id: '11', login: 'a@example.com', name: 'Ann' }, { id: '11', email: 'a@example.com', name: 'Ann', verified: false }],
  dailymotion: [{ id: 'x1', email: 'a@example.com', fullname: 'Ann', verified: true }, { id: 'x1', email: 'a@example.com', name: 'Ann', verified: true }],
  discord: [{ id: '80351110224678912', username: 'ann', global_name: 'Ann', email: 'a@example.com', verified: true }, { id: '80351110224678912', email: 'a@example.com', name: 'Ann', verified: true }],
  disqus: [{ id: '42', email: 'a@example.com', name: 'Ann' }, { id: '42', email: 'a@example.com', name: 'Ann', verified: false }],
  dropbox: [{ account_id: 'dbid:1', email: 'a@example.com', email_verified: true, name: { display_name: 'Ann' } }, { id: 'dbid:1', email: 'a@example.com', name: 'Ann', verified: true }],
  etsy: [{ user_id: 123, primary_email: 'a@example.com', first_name: 'Ann', last_name: 'Lee' }, { id: '123', email: 'a@example.com', name: 'Ann Lee', verified: false }],
  facebook: [{ id: '10', email: 'a@example.com', name: 'Ann' }, { id: '10', email: 'a@example.com', name: 'Ann', verified: false }],
  github: [
    { id: 583231, login: 'octocat', name: null, email: null, emails: [{ email: 'a@example.com', primary: true, verified: true }] },
    { id: '583231', email: 'a@example.com', name: 'octocat', verified: true },
  ],
  gitlab: [{ id: 7, username: 'ann', name: 'Ann', email: 'a@example.com', confirmed_at: '2020-01-01T00:00:00Z' }, { id: '7', email: 'a@example.com', name: 'Ann', verified: true }],
  google: [{ sub: '1090', email: 'a@gmail.com', email_verified: true, name: 'Ann' }, { id: '1090', email: 'a@gmail.com', name: 'Ann', verified: true }],
  linkedin: [{ sub: 'li1', email: 'a@example.com', email_verified: true, name: 'Ann' }, { id: 'li1', email: 'a@example.com', name: 'Ann', verified: true }],
  microsoft: [{ id: 'ms1', mail: null, userPrincipalName: 'a@contoso.com', displayName: 'Ann' }, { id: 'ms1', email: 'a@contoso.com', name: 'Ann', verified: false }],
  notion: [
    { object: 'user', id: 'bot1', type: 'bot', bot: { owner: { type: 'user', user: { id: 'u1', name: 'Ann', person: { email: 'a@example.com' } } } } },
    { id: 'u1', email: 'a@example.com', name: 'Ann', verified: false },
  ],
  oidc: [{ sub: 's1', email: 'a@example.com', email_verified: true, preferred_username: 'ann' }, { id: 's1', email: 'a@example.com', name: 'ann', verified: true }],
  okta: [{ sub: '00u1', email: 'a@example.com', email_verified: true, name: 'Ann' }, { id: '00u1', email: 'a@example.com', name: 'Ann', verified: true }],
  paypal: [
    { user_id: 'https://www.paypal.com/webapps/auth/identity/user/1', payer_id: 'P1', name: 'Ann', verified_account: 'true', emails: [{ value: 'a@example.com', primary: true, confirmed: true }] },
    { id: 'P1', email: 'a@example.com', name: 'Ann', verified: true },
  ],
  paypalSandbox: [{ payer_id: 'P2', name: 'Ann', verified_account: false, emails: [{ value: 'a@example.com', primary: true }] }, { id: 'P2', email: 'a@example.com', name: 'Ann', verified: false }],
  podio: [{ user_id: 5, mail: 'a@example.com', profile: { name: 'Ann' } }, { id: '5', email: 'a@example.com', name: 'Ann', verified: false }],
  salesforce: [{ user_id: '005x', email: 'a@example.com', email_verified: true, name: 'Ann' }, { id: '005x', email: 'a@example.com', name: 'Ann', verified: true }],
  slack: [{ sub: 'U1', 'https://slack.com/user_id': 'U1', email: 'a@example.com', email_verified: true, name: 'Ann' }, { id: 'U1', email: 'a@example.com', name: 'Ann', verified: true }],
  spotify: [{ id: 'sp1', email: 'a@example.com', display_name: 'Ann' }, { id: 'sp1', email: 'a@example.com', name: 'Ann', verified: false }],
  stripe: [{ id: 'acct_1', email: 'a@example.com', business_profile: { name: 'Ann Inc' } }, { id: 'acct_1', email: 'a@example.com', name: 'Ann Inc', verified: false }],
  tradeshift: [{ Id: 't1', Username: 'a@example.com', FirstName: 'Ann', LastName: 'Lee' }, { id: 't1', email: 'a@example.com', name: 'Ann Lee', verified: false }],
  tradeshiftBox: [{ Id: 't2', Username: 'a@example.com', FirstName: 'Ann' }, { id: 't2', email: 'a@example.com', name: 'Ann', verified: false }],
  twitch: [{ data: [{ id: '141981764', login: 'ann', display_name: 'Ann', email: 'a@example.com' }] }, { id: '141981764', email: 'a@example.com', name: 'Ann', verified: false }],
  wordpress: [{ ID: 9, email: 'a@example.com', display_name: 'Ann', email_verified: true }, { id: '9', email: 'a@example.com', name: 'Ann', verified: true }],
  yahoo: [{ sub: 'Y1', email: 'a@yahoo.com', email_verified: true, name: 'Ann' }, { id: 'Y1', email: 'a@yahoo.com', name: 'Ann', verified: true }],
  yammer: [{ id: 1, email: 'a@example.com', full_name: 'Ann' }, { id: '1', email: 'a@example.com', name: 'Ann', verified: false }],
  yandex: [{ id: '100', default_email: 'a@yandex.ru', real_name: 'Ann' }, { id: '100', email: 'a@yandex.ru', name: 'Ann', verified: false }],
  zoho: [{ ZUID: 3, Email: 'a@example.com', Display_Name: 'Ann' }, { id: '3', email: 'a@example.com', name: 'Ann', verified: false }],
  zoom: [{ id: 'z1', email: 'a@example.com', first_name: 'Ann', last_name: 'Lee', verified: 1 }, { id: 'z1', email: 'a@example.com', name: 'Ann Lee', verified: true }],
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ oauth2: Object.fromEntries(PROVIDER_KEYS.map((key) => [key, settingsFor(key)])) });
});
afterAll(() => server.close());

test('the table has exactly the issue’s provider keys', () => {
  expect([...PROVIDER_KEYS].sort()).toEqual([...EXPECTED_KEYS].sort());
  expect(Object.keys(SAMPLES).sort()).toEqual([...EXPECTED_KEYS].sort());
});

describe.each(EXPECTED_KEYS)('%s', (key) => {
  const def = PROVIDERS.get(key)!;

  test('builds the authorization URL', async () => {
    const res = await request(server.app)
      .get(`/v1/account/sessions/oauth2/${key}`)
      .query({ project: 'default', success: 'http://localhost/ok', failure: 'http://localhost/no', 'scopes[]': 'extra.scope' });
    expect(res.status).toBe(301);
    const location = new URL(res.headers.location!);
    const endpoints = def.endpoints(settingsFor(key));
    expect(location.origin + location.pathname).toBe(new URL(endpoints.authorize).origin + new URL(endpoints.authorize).pathname);
    for (const [name, value] of new URL(endpoints.authorize).searchParams) expect(location.searchParams.get(name)).toBe(value);
    expect(location.searchParams.get('client_id')).toBe(`id-${key}`);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('redirect_uri')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v1/account/sessions/oauth2/callback/${key}/default$`));
    expect(location.searchParams.get('scope')).toBe([...def.scopes, 'extra.scope'].join(def.scopeSeparator ?? ' '));
    expect(location.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(location.searchParams.get('code_challenge_method')).toBe(def.pkce ? 'S256' : null);
    for (const [name, value] of Object.entries(def.authParams ?? {})) expect(location.searchParams.get(name)).toBe(value);
  });

  test('maps a sample profile to id, email, name and verified', () => {
    const [raw, expected] = SAMPLES[key]!;
    expect(def.read(raw)).toEqual(expected);
  });

  test('is disabled without its client id, secret or required settings', () => {
    expect(enabledSettings({}, key)).toBeNull();
    expect(enabledSettings({ [key]: { clientId: '', clientSecret: 'x' } }, key)).toBeNull();
    for (const name of def.settings?.required ?? []) {
      expect(enabledSettings({ [key]: { ...settingsFor(key), [name]: '' } }, key)).toBeNull();
    }
    expect(enabledSettings({ [key]: settingsFor(key) }, key)).not.toBeNull();
  });
});

test('apple: the client secret is an ES256 JWT signed with the team key', () => {
  const secret = appleClientSecret(settingsFor('apple'));
  const header = jwt.decode(secret, { complete: true })!.header;
  expect(header).toMatchObject({ alg: 'ES256', kid: 'KEY123' });
  const claims = jwt.verify(secret, publicKey.export({ type: 'spki', format: 'pem' }).toString(), { algorithms: ['ES256'], audience: 'https://appleid.apple.com' });
  expect(claims).toMatchObject({ iss: 'TEAM123', sub: 'id-apple' });
});

test('example app: providers and their settings from ACCOUNT_OAUTH_* variables', async () => {
  const { oauth2FromEnv } = await import('../../example-app/app');
  expect(
    oauth2FromEnv({
      ACCOUNT_OAUTH_GITHUB_CLIENT_ID: 'gh',
      ACCOUNT_OAUTH_GITHUB_CLIENT_SECRET: 'ghs',
      ACCOUNT_OAUTH_OIDC_CLIENT_ID: 'o',
      ACCOUNT_OAUTH_OIDC_CLIENT_SECRET: 'os',
      ACCOUNT_OAUTH_OIDC_ISSUER: 'http://localhost:8080',
      ACCOUNT_OAUTH_PAYPALSANDBOX_CLIENT_ID: 'pp',
      ACCOUNT_OAUTH_APPLE_CLIENT_ID: 'ap',
      ACCOUNT_OAUTH_APPLE_KEY_ID: 'K',
      ACCOUNT_OAUTH_GITLAB_CLIENT_SECRET: 'no id: disabled',
    }),
  ).toEqual({
    github: { clientId: 'gh', clientSecret: 'ghs' },
    oidc: { clientId: 'o', clientSecret: 'os', issuer: 'http://localhost:8080' },
    paypalSandbox: { clientId: 'pp', clientSecret: '' },
    apple: { clientId: 'ap', clientSecret: '', keyId: 'K' },
  });
});
