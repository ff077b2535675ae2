// Public entry point of account-router.
export { createAccountRouter, type AccountRouter, type AccountContext, type ApiKeyAdmin, type AccountMiddleware, type RequireAccount, type RequireAccountOptions } from './router';
export { API_SCOPES, type ApiScope, type ApiKeyCaller } from './route';
export type { ApiKeyInfo, NewApiKey, StaticApiKey } from './core/api-keys';
export type { UsersAdmin, NewUserInput } from './admin-users';
export type { AdminUserChange } from './core/user-admin';
export type { ListRequest } from './core/list-queries';
export type {
  AccountRouterOptions,
  CookieOptions,
  SessionOptions,
  PasswordOptions,
  PwnedPasswordOptions,
  Logger,
  OAuth2Options,
  OAuth2ProviderOptions,
  IdTokenOptions,
  IdTokenProviderOptions,
  MfaOptions,
  MfaFactorOptions,
  CustomChallengeCode,
  IdentityProviderOptions,
  OAuthClientOptions,
} from './options';
export type { AccessTokenInfo, ProtectedResourceOptions, RequireAccessTokenOptions, WellKnownOptions } from './idp/host';
export type { NewOAuthClient } from './idp/clients';
export type { PendingConsent, AuthorizationRequest } from './idp/authorize';
export type { TrustProxy } from './http';
export type { ExpressSessionStore, SessionStoreOptions, StoredSessionData } from './session-store';
export { PROVIDER_KEYS as OAUTH2_PROVIDER_KEYS } from './core/oauth2/providers';
export { ID_TOKEN_PROVIDERS, type IdTokenProvider } from './core/id-token';
export { AccountError, ERRORS, type ErrorType } from './errors';
export { importPasswordHash, type ImportedPasswordHash } from './core/imported-hashes';
export {
  createSmtpMailer,
  createWebhookSms,
  createTwilioSms,
  type Mailer,
  type MailerOption,
  type MailMessage,
  type SmsSender,
  type SmsOption,
  type SmsMessage,
  type SmtpMailerOptions,
  type WebhookSmsOptions,
  type TwilioSmsOptions,
  type MessageTemplates,
  type LocaleTemplates,
  type MailTemplate,
  type SmsTemplate,
  type MailKind,
  type SmsKind,
  type TemplateVariables,
} from './core/messaging';
export { createRedisRateLimitStore, type RedisCommandClient, type RedisRateLimitStoreOptions } from './core/redis-store';
export * from '../adapters/types';
