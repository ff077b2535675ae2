// JWTs: HS256 over {userId, sessionId, exp} signed with the server secret, as Appwrite issues
// them. A JWT is only as alive as its session: deleting the session or blocking the user ends it.
import { createSecretKey, type KeyObject } from 'node:crypto';
import type JsonWebToken from 'jsonwebtoken';
import { AccountError } from '../errors';

/** jsonwebtoken, loaded on first use: it is the largest module on the read path's import graph. */
export function jsonwebtoken(): typeof JsonWebToken {
  return require('jsonwebtoken') as typeof JsonWebToken;
}

/**
 * The HS256 key as a KeyObject, made once per router: given a string, jsonwebtoken first tries to
 * parse it as a PEM public key on every call, which cost more than the rest of a request.
 */
export function jwtKey(serverSecret: string): KeyObject {
  return createSecretKey(Buffer.from(serverSecret, 'utf8'));
}

export function signJwt(key: KeyObject, claims: { userId: string; sessionId: string }, durationSeconds: number): string {
  const exp = Math.floor(Date.now() / 1000) + durationSeconds;
  return jsonwebtoken().sign({ userId: claims.userId, sessionId: claims.sessionId, exp }, key, { algorithm: 'HS256', noTimestamp: true });
}

/** The claims of a valid token; 401 user_jwt_invalid for a bad signature, a malformed token or an expired one. */
export function verifyJwt(key: KeyObject, token: string): { userId: string; sessionId: string } {
  let payload: unknown;
  try {
    payload = jsonwebtoken().verify(token, key, { algorithms: ['HS256'] });
  } catch (error) {
    throw new AccountError('user_jwt_invalid', `Failed to verify JWT. ${error instanceof Error ? error.message : ''}`.trim());
  }
  const { userId, sessionId } = payload as { userId?: unknown; sessionId?: unknown };
  if (typeof userId !== 'string' || typeof sessionId !== 'string') throw new AccountError('user_jwt_invalid', 'Failed to verify JWT. Invalid payload.');
  return { userId, sessionId };
}
