// JWTs: HS256 over {userId, sessionId, exp} signed with the server secret, as Appwrite issues
// them. A JWT is only as alive as its session: deleting the session or blocking the user ends it.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type JsonWebToken from 'jsonwebtoken';
import { AccountError } from '../errors';

/** jsonwebtoken, loaded on first use: it is the largest module on the read path's import graph. */
function jsonwebtoken(): typeof JsonWebToken {
  return require('jsonwebtoken') as typeof JsonWebToken;
}

/**
 * The HS256 key as a KeyObject, made once per router: given a string, jsonwebtoken first tries to
 * parse it as a PEM public key on every call, which cost more than the rest of a request.
 */
export function jwtKey(serverSecret: string): KeyObject {
  return createSecretKey(Buffer.from(serverSecret, 'utf8'));
}

/** Signs `claims` (which must hold a numeric `exp`) as an HS256 JWT. */
export function signHs256(key: KeyObject, claims: Record<string, unknown> & { exp: number }): string {
  return jsonwebtoken().sign(claims, key, { algorithm: 'HS256', noTimestamp: true });
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** The header jsonwebtoken writes for HS256: recognised as is, so our own tokens skip its decoding. */
const HS256_HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
/** An HS256 signature (32 bytes) in unpadded base64url. */
const SIGNATURE_LENGTH = 43;

class JwtRejected extends Error {}

function decodeJsonSegment(segment: string): unknown {
  if (!SEGMENT.test(segment)) throw new JwtRejected('jwt malformed');
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtRejected('jwt malformed');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The claims of an HS256 JWT signed with `key` that has not expired; throws otherwise. It accepts
 * what jsonwebtoken's `verify(token, key, { algorithms: ['HS256'] })` accepts, except that `exp` is
 * required (test/unit/jwt.test.ts compares the two on mutated tokens). Verifying is on the
 * authentication hot path: jsonwebtoken's per-call option handling cost four times the HMAC
 * itself there, so the check is done here on node:crypto alone.
 */
function verifyHs256(key: KeyObject, token: string, now: number): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtRejected('jwt malformed');
  const [headerPart, payloadPart, signature] = parts;
  if (headerPart !== HS256_HEADER) {
    const header = decodeJsonSegment(headerPart);
    if (!isObject(header)) throw new JwtRejected('jwt malformed');
    if (header.alg !== 'HS256') throw new JwtRejected('invalid algorithm');
  }
  const payload = decodeJsonSegment(payloadPart);
  if (!isObject(payload)) throw new JwtRejected('jwt malformed');
  const expected = createHmac('sha256', key).update(`${headerPart}.${payloadPart}`).digest('base64url');
  if (signature.length !== SIGNATURE_LENGTH || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    throw new JwtRejected('invalid signature');
  }
  const seconds = Math.floor(now / 1000);
  if (payload.iat !== undefined && typeof payload.iat !== 'number') throw new JwtRejected('iat must be a number');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > seconds)) throw new JwtRejected('jwt not active');
  if (typeof payload.exp !== 'number') throw new JwtRejected('invalid exp value');
  if (seconds >= payload.exp) throw new JwtRejected('jwt expired');
  return payload;
}

/** The claims of a valid token signed by this server, or null for a forged, malformed or expired one. */
export function readHs256(key: KeyObject, token: string, now: number): Record<string, unknown> | null {
  try {
    return verifyHs256(key, token, now);
  } catch (error) {
    if (error instanceof JwtRejected) return null;
    throw error;
  }
}

export function signJwt(key: KeyObject, claims: { userId: string; sessionId: string }, durationSeconds: number, now: Date): string {
  const exp = Math.floor(now.getTime() / 1000) + durationSeconds;
  return signHs256(key, { userId: claims.userId, sessionId: claims.sessionId, exp });
}

/** The claims of a valid token; 401 user_jwt_invalid for a bad signature, a malformed token or an expired one. */
export function verifyJwt(key: KeyObject, token: string, now: Date): { userId: string; sessionId: string } {
  let payload: Record<string, unknown>;
  try {
    payload = verifyHs256(key, token, now.getTime());
  } catch (error) {
    if (!(error instanceof JwtRejected)) throw error;
    throw new AccountError('user_jwt_invalid', `Failed to verify JWT. ${error.message}`);
  }
  const { userId, sessionId } = payload;
  if (typeof userId !== 'string' || typeof sessionId !== 'string') throw new AccountError('user_jwt_invalid', 'Failed to verify JWT. Invalid payload.');
  return { userId, sessionId };
}
