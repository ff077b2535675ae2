// The HS256 verifier on the authentication hot path against jsonwebtoken, the library that signs:
// whatever it accepts jsonwebtoken accepts too, on valid tokens and on every kind of mutation. It is
// stricter only on claims no token of ours lacks or mistypes (checked here with the key: nobody
// without it can make them).
import { createHmac, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { jwtKey, readHs256, signHs256, signJwt, verifyJwt } from '../../lib/core/jwt';
import { AccountError } from '../../lib/errors';

const SECRET = 'a server secret of some length';
const key = jwtKey(SECRET);
const now = Date.now();
const exp = Math.floor(now / 1000) + 600;

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A token with any header and payload, signed with HS256 over exactly those segments. */
function forge(header: unknown, payload: unknown, secret = SECRET): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

function libraryAccepts(token: string): boolean {
  try {
    jwt.verify(token, createSecretKey(Buffer.from(SECRET)), { algorithms: ['HS256'], clockTimestamp: Math.floor(now / 1000) });
    return true;
  } catch {
    return false;
  }
}

const valid = signHs256(key, { userId: 'u1', sessionId: 's1', exp });
const [h, p, s] = valid.split('.');
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

const cases: [string, string, boolean][] = [
  ['valid', valid, true],
  ['valid, with typ and iat', forge({ alg: 'HS256', typ: 'JWT' }, { userId: 'u1', sessionId: 's1', exp, iat: exp - 700 }), true],
  ['valid, header keys in another order', forge({ typ: 'JWT', alg: 'HS256' }, { userId: 'u1', exp }), true],
  ['valid, nbf in the past', forge({ alg: 'HS256' }, { userId: 'u1', exp, nbf: exp - 1200 }), true],
  ['signature bit flipped', `${h}.${p}.${flip(s, 5)}`, false],
  ['payload changed, old signature', `${h}.${b64({ userId: 'admin', sessionId: 's1', exp })}.${s}`, false],
  ['signature missing', `${h}.${p}.`, false],
  ['signature truncated', `${h}.${p}.${s.slice(0, -1)}`, false],
  ['signature padded', `${h}.${p}.${s}=`, false],
  ['alg none, no signature', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, false],
  ['alg none, HMAC signature', forge({ alg: 'none' }, { userId: 'u1', exp }), false],
  ['alg HS512', forge({ alg: 'HS512' }, { userId: 'u1', exp }), false],
  ['alg hs256 (case)', forge({ alg: 'hs256' }, { userId: 'u1', exp }), false],
  ['no alg', forge({ typ: 'JWT' }, { userId: 'u1', exp }), false],
  ['other key', forge({ alg: 'HS256' }, { userId: 'u1', exp }, 'another secret'), false],
  ['expired', forge({ alg: 'HS256' }, { userId: 'u1', exp: Math.floor(now / 1000) - 1 }), false],
  ['expires this second', forge({ alg: 'HS256' }, { userId: 'u1', exp: Math.floor(now / 1000) }), false],
  ['exp a string', forge({ alg: 'HS256' }, { userId: 'u1', exp: String(exp) }), false],
  ['nbf in the future', forge({ alg: 'HS256' }, { userId: 'u1', exp, nbf: exp }), false],
  ['header not JSON', forge('{alg', { userId: 'u1', exp }), false],
  ['header an array', forge(['HS256'], { userId: 'u1', exp }), false],
  ['two segments', `${h}.${p}`, false],
  ['four segments', `${valid}.${s}`, false],
  ['characters outside base64url', `${h}.${p.slice(0, 4)}+/${p.slice(6)}.${s}`, false],
  ['empty', '', false],
];

describe('HS256 verification', () => {
  test.each(cases)('%s', (name, token, accepted) => {
    expect(readHs256(key, token, now) !== null).toBe(accepted);
    expect(libraryAccepts(token)).toBe(accepted);
  });

  test.each([
    ['no exp', forge({ alg: 'HS256' }, { userId: 'u1' })],
    ['iat a string', forge({ alg: 'HS256' }, { userId: 'u1', exp, iat: 'yesterday' })],
    ['payload an array', forge({ alg: 'HS256' }, [1, 2])],
    ['payload not JSON', forge({ alg: 'HS256' }, 'not json')],
  ])('stricter than jsonwebtoken on a validly signed token with %s', (name, token) => {
    expect(libraryAccepts(token)).toBe(true);
    expect(readHs256(key, token, now)).toBeNull();
  });

  test('returns the claims of a valid token', () => {
    expect(readHs256(key, valid, now)).toEqual({ userId: 'u1', sessionId: 's1', exp });
  });

  test('verifyJwt: claims of an account JWT, user_jwt_invalid otherwise', () => {
    const at = new Date(now);
    expect(verifyJwt(key, signJwt(key, { userId: 'u1', sessionId: 's1' }, 60, at), at)).toEqual({ userId: 'u1', sessionId: 's1' });
    for (const token of [`${h}.${p}.${flip(s, 0)}`, forge({ alg: 'HS256' }, { userId: 1, sessionId: 's1', exp }), 'garbage']) {
      expect(() => verifyJwt(key, token, at)).toThrow(AccountError);
      try {
        verifyJwt(key, token, at);
      } catch (error) {
        expect((error as AccountError).type).toBe('user_jwt_invalid');
      }
    }
  });
});
