// What OAuth2 keeps per router: its own Passport instance (never the module-level default) and
// the provider strategies registered on it, built on first use. It lives on the services.
import type { Passport, Strategy } from 'passport';
import type { OAuth2ProviderOptions } from '../../options';
import type { ProviderDefinition, ProviderEndpoints } from './providers';
import { PassportStateStore, pkceVerifier, type OAuth2Request, type StateKeys } from './state';
import type { ExchangeResult } from './strategy';

export interface BuiltStrategy {
  strategy: Strategy;
  endpoints: ProviderEndpoints;
  settings: OAuth2ProviderOptions;
}

/** What running a strategy came to, in passport's terms (redirect, success, fail, error). */
export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: ExchangeResult }
  | { kind: 'fail'; message: string }
  | { kind: 'error'; error: unknown };

/** One router's Passport instance and the strategies registered on it. */
export class OAuth2Runtime {
  private instance: InstanceType<typeof Passport> | undefined;
  private readonly built = new Map<string, Promise<BuiltStrategy>>();
  private readonly store: PassportStateStore;

  constructor(private readonly keys: StateKeys) {
    this.store = new PassportStateStore(keys);
  }

  /** passport and the strategies (passport-oauth2) load with the first OAuth2 request, not at start-up. */
  private get passport(): InstanceType<typeof Passport> {
    return (this.instance ??= new (require('passport') as typeof import('passport')).Passport());
  }

  /** Builds (once) and registers the provider's strategy; OIDC discovery happens here. */
  strategy(def: ProviderDefinition, settings: OAuth2ProviderOptions): Promise<BuiltStrategy> {
    let pending = this.built.get(def.key);
    if (!pending) {
      pending = (async () => {
        const { AppleStrategy, discoverOidc, GenericOAuth2Strategy } = require('./strategy') as typeof import('./strategy');
        const endpoints = def.key === 'oidc' ? await discoverOidc(settings) : withOverrides(def.endpoints(settings), settings);
        const init = { def, settings, endpoints, store: this.store, verifierFor: (id: string) => pkceVerifier(this.keys, id) };
        const strategy = (def.key === 'apple' ? new AppleStrategy(init) : new GenericOAuth2Strategy(init)) as unknown as Strategy;
        this.passport.use(def.key, strategy);
        return { strategy, endpoints, settings };
      })();
      this.built.set(def.key, pending);
      // A failed discovery is retried by the next request.
      pending.catch(() => this.built.delete(def.key));
    }
    return pending;
  }

  /** Runs passport.authenticate and reports what the strategy did. */
  run(key: string, req: OAuth2Request, options: Record<string, unknown>): Promise<StrategyOutcome> {
    return new Promise((resolve) => {
      const fakeRes = {
        statusCode: 200,
        location: '',
        setHeader(name: string, value: string) {
          if (name.toLowerCase() === 'location') this.location = value;
        },
        end() {
          resolve({ kind: 'redirect', url: this.location });
        },
      };
      const middleware = this.passport.authenticate(key, { session: false, ...options }, (err: unknown, user: ExchangeResult | false, info: { message?: string } | undefined) => {
        if (err) resolve({ kind: 'error', error: err });
        else if (!user) resolve({ kind: 'fail', message: info?.message ?? 'The OAuth2 provider refused the request.' });
        else resolve({ kind: 'success', user });
      });
      middleware(req as never, fakeRes as never, (err?: unknown) => resolve({ kind: 'error', error: err ?? new Error('passport passed the request on') }));
    });
  }
}

/** Any provider's endpoints can be overridden (self-hosted instances, regional hosts, tests). */
function withOverrides(endpoints: ProviderEndpoints, settings: OAuth2ProviderOptions): ProviderEndpoints {
  return {
    authorize: settings.authorizationEndpoint || endpoints.authorize,
    token: settings.tokenEndpoint || endpoints.token,
    profile: settings.userinfoEndpoint || endpoints.profile,
  };
}
