// docs/oauth2-providers.md from the provider table (lib/core/oauth2/providers.ts).
import { PROVIDERS, type ProviderDefinition } from '../../lib/core/oauth2/providers';
import { code, generatedNotice, table } from './markdown';

/** The authorization endpoint with every required setting shown as `<setting>` (optional ones at their default). */
function authorizationEndpoint(provider: ProviderDefinition): string {
  const settings: Record<string, string> = { clientId: '<clientId>', clientSecret: '<clientSecret>' };
  for (const name of provider.settings?.required ?? []) settings[name] = `<${name}>`;
  const url = provider.endpoints(settings as never).authorize;
  return url ? code(decodeURIComponent(url)) : `discovery: ${code('<issuer>/.well-known/openid-configuration')}`;
}

function settings(provider: ProviderDefinition): string {
  const required = (provider.settings?.required ?? []).map((name) => `${code(name)} (required)`);
  const optional = (provider.settings?.optional ?? []).map(code);
  return [...required, ...optional].join(', ') || '—';
}

export function renderProviders(): string {
  const rows = [...PROVIDERS.values()].map((provider) => [
    code(provider.key),
    provider.name,
    settings(provider),
    provider.scopes.map(code).join(' ') || '—',
    provider.pkce ? 'S256' : '—',
    provider.tokenAuth === 'basic' ? 'Basic' : 'form',
    authorizationEndpoint(provider),
    provider.uncertain ?? '',
  ]);
  return [
    generatedNotice('the provider table (lib/core/oauth2/providers.ts)'),
    '',
    '# OAuth2 providers',
    '',
    'The provider keys `oauth2` accepts (see [OAuth2 sign-in](oauth2.md) for enabling one), with the',
    'settings each takes besides `clientId` and `clientSecret`. Every provider also takes',
    '`authorizationEndpoint`, `tokenEndpoint` and `userinfoEndpoint`, which replace its endpoints',
    '(self-hosted or regional instances). *Token auth* is how the client authenticates at the token',
    'endpoint: form fields or HTTP Basic. The last column marks entries not checked against the live',
    "provider: they follow the provider's public documentation as best known and may need adjusting.",
    '',
    table(['key', 'provider', 'settings', 'default scopes', 'PKCE', 'token auth', 'authorization endpoint', 'not checked live'], rows),
    '',
  ].join('\n');
}
