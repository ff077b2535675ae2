// Signing keys and JWTs of the authorization server, on node:crypto alone. Keys live in storage
// (the private half sealed by the router's SecretBox), so every instance signs with the same key
// and serves the same JWKS. A key signs for `keyRotationSeconds`; the next request after that
// makes a new one, and the old one stays listed until the last token it signed has expired.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { SigningKeyRecord } from '../../adapters/types';
import type { Services } from '../route';
import { idpConfig } from './config';

/** Clock skew allowed when a key's lifetime is computed and when `exp`/`iat` are checked, in seconds. */
const SKEW_SECONDS = 300;

function newKey(services: Services, now: Date): SigningKeyRecord {
  const idp = idpConfig(services);
  const pair =
    idp.signingAlg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const id = randomBytes(12).toString('base64url');
  const { kty, crv, x, y, n, e } = pair.publicKey.export({ format: 'jwk' });
  const jwk = kty === 'EC' ? { kty, crv, x, y } : { kty, n, e };
  const lifetime = idp.keyRotationSeconds + Math.max(idp.accessTokenSeconds, idp.idTokenSeconds) + SKEW_SECONDS;
  return {
    id,
    alg: idp.signingAlg,
    publicJwk: { ...jwk, kid: id, alg: idp.signingAlg, use: 'sig' },
    privateKey: services.box.seal(pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
    createdAt: now,
    expire: new Date(now.getTime() + lifetime * 1000),
  };
}

/** The key that signs now: the newest of the configured algorithm still within its rotation period, else a new one. */
export async function currentSigningKey(services: Services): Promise<SigningKeyRecord> {
  const now = services.now();
  const idp = idpConfig(services);
  const keys = await services.storage.signingKeys.list(now);
  const fresh = keys.find((key) => key.alg === idp.signingAlg && now.getTime() - key.createdAt.getTime() < idp.keyRotationSeconds * 1000);
  // Two instances may both make one at the same moment: both keys are valid, the newer signs.
  return fresh ?? services.storage.signingKeys.create(newKey(services, now));
}

/** The JWKS document: every key that signed a token still valid. */
export async function jwks(services: Services): Promise<{ keys: Record<string, unknown>[] }> {
  return { keys: (await services.storage.signingKeys.list(services.now())).map((key) => key.publicJwk) };
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` as a compact JWS with the current key; `typ` is `JWT`, or `at+jwt` for access tokens (RFC 9068). */
export async function signJwt(services: Services, claims: Record<string, unknown>, typ: 'JWT' | 'at+jwt'): Promise<string> {
  const key = await currentSigningKey(services);
  const pem = services.box.open(key.privateKey);
  if (!pem) throw new Error('a signing key was sealed under another server secret');
  const input = `${encode({ alg: key.alg, typ, kid: key.id })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(pem), dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export interface VerifiedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * The header and claims of a token this server signed, or null. The algorithm comes from the
 * stored key the `kid` names, never from the token: `alg: none`, HS256 signed with a public key
 * (key confusion) and a key of another algorithm all fail. Expiry is checked here; audience,
 * issuer and type by the caller.
 */
export async function verifyJwt(services: Services, token: string, typ: 'JWT' | 'at+jwt'): Promise<VerifiedJwt | null> {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 8192) return null;
  const header = parseSegment(parts[0]!);
  const claims = parseSegment(parts[1]!);
  if (!header || !claims || typeof header.kid !== 'string' || header.typ !== typ) return null;
  const now = services.now();
  const key = (await services.storage.signingKeys.list(now)).find((candidate) => candidate.id === header.kid);
  if (!key || header.alg !== key.alg) return null;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: key.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    return null;
  }
  const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2]!, 'base64url'));
  if (!valid) return null;
  const seconds = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return null;
  if (typeof claims.iat === 'number' && claims.iat > seconds + SKEW_SECONDS) return null;
  return { header, claims };
}

function parseSegment(segment: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
