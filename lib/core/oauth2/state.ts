// The OAuth2 `state`: a signed, expiring, single-use value. Its payload (provider, success and
// failure URLs, token flag) travels signed in the state itself; the PKCE verifier never leaves the
// server: it is derived from the server secret and the state's random id (HMAC), so nothing has to
// be stored for it. Single use is enforced by an atomic counter in the storage adapter, so any
// process sharing the storage (and secret) can finish a flow another one started.
import type { Services } from '../../route';
import { randomHex, safeEqual } from '../secrets';
import { sign } from './crypto';

export const STATE_LIFETIME_MS = 15 * 60_000;
const COUNTER_WINDOW_MS = 60 * 60_000;

export interface StatePayload {
  /** Random id: keys the verifier and the single-use counter. */
  id: string;
  provider: string;
  success: string;
  failure: string;
  /** true for the token variant (GET /account/tokens/oauth2/:provider). */
  token: boolean;
  /** Expiry, ms since the epoch. */
  exp: number;
}

const PURPOSE = 'oauth2-state';

/** What signing a state takes: the server secret and the router's clock (Services has both). */
export type StateKeys = Pick<Services, 'serverSecret' | 'now'>;

export function encodeState(keys: StateKeys, payload: StatePayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(keys.serverSecret, PURPOSE, body)}`;
}

/** The payload when the signature holds (expiry and reuse are checked by `consumeState`), else null. */
export function decodeState(keys: StateKeys, state: string | undefined): StatePayload | null {
  if (!state || state.length > 4096) return null;
  const dot = state.indexOf('.');
  if (dot < 1) return null;
  const body = state.slice(0, dot);
  if (!safeEqual(state.slice(dot + 1), sign(keys.serverSecret, PURPOSE, body))) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StatePayload;
    return typeof payload.id === 'string' && typeof payload.exp === 'number' ? payload : null;
  } catch {
    return null;
  }
}

/** The PKCE code_verifier of a state: 43 base64url chars, computable only with the server secret. */
export function pkceVerifier(keys: StateKeys, stateId: string): string {
  return sign(keys.serverSecret, 'oauth2-pkce', stateId);
}

/** A new state id (chosen before the authorization URL is built, so PKCE can derive from it). */
export function newStateId(): string {
  return randomHex(16);
}

export function newState(keys: StateKeys, init: Omit<StatePayload, 'exp'>): string {
  return encodeState(keys, { ...init, exp: keys.now().getTime() + STATE_LIFETIME_MS });
}

/**
 * Marks the state used. True for exactly one caller: the counter's window is the one containing
 * the state's expiry, so every process counts in the same window whatever its clock reads now.
 */
export async function consumeState(services: Services, payload: StatePayload): Promise<{ ok: boolean; reason?: string }> {
  if (payload.exp <= services.now().getTime()) return { ok: false, reason: 'expired' };
  const { count } = await services.storage.counters.hit(`oauth2-state:${payload.id}`, COUNTER_WINDOW_MS, new Date(payload.exp));
  if (count !== 1) return { ok: false, reason: 'already used' };
  return { ok: true };
}

/**
 * passport-oauth2's state-store contract: `store` is called when the authorization URL is built,
 * `verify` when the code comes back. Verification itself (signature, expiry, single use) happens in
 * the redirect route before Passport runs, because the failure URL inside the state is needed to
 * report errors; the request then carries the verified result for `verify` to hand over.
 */
export class PassportStateStore {
  constructor(private readonly keys: StateKeys) {}

  store(_req: OAuth2Request, _verifier: undefined, state: unknown, _meta: unknown, callback: (err: Error | null, state?: string) => void): void {
    try {
      callback(null, newState(this.keys, state as Omit<StatePayload, 'exp'>));
    } catch (error) {
      callback(error as Error);
    }
  }

  verify(req: OAuth2Request, _provided: string, _meta: unknown, callback: (err: Error | null, ok: string | boolean, state?: unknown) => void): void {
    const verified = req.oauth2State;
    if (!verified) return callback(null, false, { message: 'Invalid OAuth2 state.' });
    callback(null, true, verified.payload);
  }
}

/** The request object handed to Passport. */
export interface OAuth2Request {
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  url: string;
  method: string;
  oauth2State?: { payload: StatePayload };
}
