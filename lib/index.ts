// Public entry point of account-router.
export { createAccountRouter, type AccountRouter, type AccountContext } from './router';
export type { AccountRouterOptions, CookieOptions, SessionOptions, PasswordOptions, Logger } from './options';
export { AccountError, ERRORS, type ErrorType } from './errors';
export * from '../adapters/types';
