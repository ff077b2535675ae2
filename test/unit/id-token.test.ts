// createIdTokenVerifier against a real local issuer (oauth2-mock-server: discovery, JWKS, RS256 and
// ES256 signing): Google-like and Apple-like profiles, forged and tampered tokens, the nonce rules,
// key rotation, and a key set that is down, slow, huge or flooded with made-up kids.
import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { AccountError } from '../../lib/errors';
import { createIdTokenVerifier, idTokenError, type IdTokenOptions, type IdTokenResult, type IdTokenVerifierOptions } from '../../lib/core/id-token';
import { startIdTokenIssuer, type IdTokenIssuer } from '../helpers/id-token-issuer';

const GOOGLE_CLIENTS = ['web-client.apps.googleusercontent.com', 'android-client.apps.googleusercontent.com'];
const APPLE_CLIENT = 'com.example.app';

let issuer: IdTokenIssuer;
beforeAll(async () => {
  issuer = await startIdTokenIssuer();
});
afterAll(async () => {
  await issuer.stop();
});

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A JWT signed here, with a key the issuer never published. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject | null): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (key === null) return `${input}.`;
  const signature = header.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

/** A clock the test moves; starts at the real time, which the mock issuer stamps tokens with. */
function testClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
}

function verifierFor(providers: IdTokenOptions, extra: Partial<IdTokenVerifierOptions> = {}) {
  return createIdTokenVerifier({ providers, refreshIntervalMs: 60_000, ...extra });
}

const googleLike = () => ({ google: { clientIds: GOOGLE_CLIENTS, issuer: issuer.issuer } });
const appleLike = () => ({ apple: { clientIds: [APPLE_CLIENT], issuer: issuer.issuer } });

function expectFailure(result: IdTokenResult, reason: string): void {
  expect(result).toMatchObject({ ok: false, reason });
}

/** What each profile's valid token carries, and the nonce the app sends with it. */
const PROFILES = [
  {
    name: 'google-like',
    provider: 'google' as const,
    clientIds: GOOGLE_CLIENTS,
    kid: 'rs-1',
    audience: GOOGLE_CLIENTS[0]!,
    claims: { sub: '110169484474386276334', email: 'Jane.Doe@Example.com', email_verified: true, name: 'Jane Doe', azp: GOOGLE_CLIENTS[1], picture: 'https://example.com/p.png' },
  },
  {
    name: 'apple-like',
    provider: 'apple' as const,
    clientIds: [APPLE_CLIENT],
    kid: 'es-1',
    audience: APPLE_CLIENT,
    claims: { sub: '001234.abcdef0123456789.0042', email: 'x7k2@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true', nonce_supported: true },
  },
];

describe.each(PROFILES)('verify ($name profile)', (profile) => {
  const rawNonce = 'raw-nonce-' + profile.name;
  const options = (extra: { verbatimNonce?: boolean } = {}): IdTokenOptions => ({ [profile.provider]: { clientIds: profile.clientIds, issuer: issuer.issuer, ...extra } });
  const validToken = (overrides: { claims?: Record<string, unknown>; remove?: string[]; kid?: string } = {}) =>
    issuer.token({ kid: overrides.kid ?? profile.kid, claims: { aud: profile.audience, nonce: sha256Hex(rawNonce), ...profile.claims, ...overrides.claims }, remove: overrides.remove });

  it('verify accepts a valid token and reads the identity from it', async () => {
    const verifier = verifierFor(options());
    const result = await verifier.verify(profile.provider, await validToken(), rawNonce);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.token).toMatchObject({ provider: profile.provider, providerUid: profile.claims.sub, email: profile.claims.email.toLowerCase(), emailVerified: true });
    expect(result.token.name).toBe(profile.provider === 'google' ? 'Jane Doe' : undefined);
    expect(result.token.claims.iss).toBe(issuer.issuer);
  });

  it('verify refuses a token issued to another client id', async () => {
    const verifier = verifierFor(options());
    const result = await verifier.verify(profile.provider, await validToken({ claims: { aud: 'someone-elses-app' } }), rawNonce);
    expectFailure(result, 'wrong_audience');
    const error = idTokenError(result as Extract<IdTokenResult, { ok: false }>);
    expect(error).toBeInstanceOf(AccountError);
    expect(error.toJSON()).toMatchObject({ code: 401, type: 'user_oauth2_token_invalid', message: expect.stringContaining('Audience mismatch') });
  });

  it('verify refuses a token from another issuer', async () => {
    const verifier = verifierFor(options());
    expectFailure(await verifier.verify(profile.provider, await validToken({ claims: { iss: 'https://evil.example.com' } }), rawNonce), 'wrong_issuer');
  });

  it('verify refuses an expired token, and accepts one expired within the 60 s clock skew', async () => {
    const verifier = verifierFor(options());
    const now = nowSeconds();
    expectFailure(await verifier.verify(profile.provider, await validToken({ claims: { iat: now - 7200, exp: now - 3600 } }), rawNonce), 'expired');
    expect((await verifier.verify(profile.provider, await validToken({ claims: { iat: now - 600, exp: now - 30 } }), rawNonce)).ok).toBe(true);
  });

  it('verify refuses a token signed by a key the issuer never published (same kid)', async () => {
    const verifier = verifierFor(options());
    const foreign = profile.kid === 'es-1' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = nowSeconds();
    const payload = { iss: issuer.issuer, aud: profile.audience, iat: now, exp: now + 600, nonce: sha256Hex(rawNonce), ...profile.claims };
    const token = forge({ alg: profile.kid === 'es-1' ? 'ES256' : 'RS256', kid: profile.kid }, payload, foreign.privateKey);
    expectFailure(await verifier.verify(profile.provider, token, rawNonce), 'bad_signature');
  });

  it('verify refuses a genuine token whose payload was altered', async () => {
    const verifier = verifierFor(options());
    const [header, payload, signature] = (await validToken()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${b64({ ...claims, sub: 'victim' })}.${signature}`;
    expectFailure(await verifier.verify(profile.provider, tampered, rawNonce), 'bad_signature');
  });

  it('verify refuses a nonce that does not hash to the claim, and a missing one', async () => {
    const verifier = verifierFor(options());
    const token = await validToken();
    expectFailure(await verifier.verify(profile.provider, token, 'another-nonce'), 'nonce_mismatch');
    expectFailure(await verifier.verify(profile.provider, token), 'nonce_required');
    expectFailure(await verifier.verify(profile.provider, token, ''), 'nonce_required');
  });

  it('verify refuses the claim sent back as the nonce (a leaked token), unless verbatimNonce is on', async () => {
    const claim = sha256Hex(rawNonce);
    const token = await validToken();
    expectFailure(await verifierFor(options()).verify(profile.provider, token, claim), 'nonce_mismatch');
    const rawClaimToken = await validToken({ claims: { nonce: rawNonce } });
    expect((await verifierFor(options({ verbatimNonce: true })).verify(profile.provider, rawClaimToken, rawNonce)).ok).toBe(true);
    expectFailure(await verifierFor(options()).verify(profile.provider, rawClaimToken, rawNonce), 'nonce_mismatch');
  });

  it('verify finds a key added to the issuer after the key set was cached (rotation) with one refetch', async () => {
    const verifier = verifierFor(options());
    expect((await verifier.verify(profile.provider, await validToken(), rawNonce)).ok).toBe(true);
    const before = await issuer.hits();
    const kid = `rotated-${profile.name}`;
    await issuer.addKey(profile.kid === 'es-1' ? 'ES256' : 'RS256', kid);
    expect((await verifier.verify(profile.provider, await validToken({ kid }), rawNonce)).ok).toBe(true);
    expect(await issuer.hits()).toEqual({ discovery: before.discovery, jwks: before.jwks + 1 });
    // Cached now: no further fetch.
    expect((await verifier.verify(profile.provider, await validToken({ kid }), rawNonce)).ok).toBe(true);
    expect((await issuer.hits()).jwks).toBe(before.jwks + 1);
  });
});

describe('verify: Google specifics', () => {
  it('verify accepts a Google token without a nonce claim, with or without a nonce sent', async () => {
    const verifier = verifierFor(googleLike());
    const token = await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' } });
    expect((await verifier.verify('google', token)).ok).toBe(true);
    expect((await verifier.verify('google', token, 'a-nonce-the-sdk-could-not-pass')).ok).toBe(true);
  });

  it('verify accepts an upper-case hex nonce claim', async () => {
    const token = await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1', nonce: sha256Hex('n').toUpperCase() } });
    expect((await verifierFor(googleLike()).verify('google', token, 'n')).ok).toBe(true);
  });

  it('verify takes an array aud only when azp names one of our clients', async () => {
    const verifier = verifierFor(googleLike());
    const ours = await issuer.token({ claims: { aud: [GOOGLE_CLIENTS[0], 'other'], azp: GOOGLE_CLIENTS[1], sub: 'g-1' } });
    expect((await verifier.verify('google', ours)).ok).toBe(true);
    const theirs = await issuer.token({ claims: { aud: [GOOGLE_CLIENTS[0], 'other'], azp: 'other', sub: 'g-1' } });
    expectFailure(await verifier.verify('google', theirs), 'wrong_audience');
  });

  it('verify reports an unverified email as such and trims and lower-cases it', async () => {
    const token = await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1', email: '  Bob@Example.COM ', email_verified: false } });
    const result = await verifierFor(googleLike()).verify('google', token);
    expect(result).toMatchObject({ ok: true, token: { email: 'bob@example.com', emailVerified: false } });
  });

  it('verify with the default issuer reads Google’s discovery document and accepts both iss spellings', async () => {
    // The real Google URLs, answered from the local issuer's key set by an injected fetch.
    const requested: string[] = [];
    const fetchLocal: typeof fetch = async (input, init) => {
      const url = String(input);
      requested.push(url);
      if (url === 'https://accounts.google.com/.well-known/openid-configuration') {
        return Response.json({ issuer: 'https://accounts.google.com', jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs' });
      }
      if (url === 'https://www.googleapis.com/oauth2/v3/certs') return fetch(`${issuer.issuer}/jwks`, init);
      return new Response('not found', { status: 404 });
    };
    const verifier = createIdTokenVerifier({ providers: { google: { clientIds: GOOGLE_CLIENTS } }, fetch: fetchLocal });
    for (const iss of ['https://accounts.google.com', 'accounts.google.com']) {
      const token = await issuer.token({ claims: { iss, aud: GOOGLE_CLIENTS[0], sub: 'g-1' } });
      expect((await verifier.verify('google', token)).ok).toBe(true);
    }
    expect(requested).toEqual(['https://accounts.google.com/.well-known/openid-configuration', 'https://www.googleapis.com/oauth2/v3/certs']);
    // The local issuer's own name is not Google's.
    expectFailure(await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' } })), 'wrong_issuer');
  });
});

describe('verify: Apple specifics', () => {
  it('verify refuses an Apple token without a nonce claim, even with nonce_supported false', async () => {
    const token = await issuer.token({ kid: 'es-1', claims: { aud: APPLE_CLIENT, sub: 'a-1', nonce_supported: false } });
    expectFailure(await verifierFor(appleLike()).verify('apple', token, 'raw'), 'nonce_required');
  });

  it('verify reads email_verified "false" as unverified and accepts an RS256 Apple key', async () => {
    const token = await issuer.token({ kid: 'rs-1', claims: { aud: APPLE_CLIENT, sub: 'a-1', email: 'a@example.com', email_verified: 'false', nonce: sha256Hex('raw') } });
    expect(await verifierFor(appleLike()).verify('apple', token, 'raw')).toMatchObject({ ok: true, token: { emailVerified: false } });
  });

  it('verify leaves email out when the token has none', async () => {
    const token = await issuer.token({ kid: 'es-1', claims: { aud: APPLE_CLIENT, sub: 'a-1', nonce: sha256Hex('raw') } });
    const result = await verifierFor(appleLike()).verify('apple', token, 'raw');
    expect(result.ok && result.token).toEqual(expect.objectContaining({ providerUid: 'a-1', emailVerified: false }));
    expect(result.ok && 'email' in result.token).toBe(false);
  });
});

describe('verify: forged headers and malformed tokens', () => {
  const payload = () => ({ iss: issuer.issuer, aud: GOOGLE_CLIENTS[0], sub: 'g-1', iat: nowSeconds(), exp: nowSeconds() + 600 });

  it('verify refuses alg none', async () => {
    const token = forge({ alg: 'none', kid: 'rs-1' }, payload(), null);
    expectFailure(await verifierFor(googleLike()).verify('google', token), 'unsupported_algorithm');
  });

  it('verify refuses HS256 signed with the issuer’s public key as the secret (key confusion)', async () => {
    const jwks = (await (await fetch(`${issuer.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    const publicJwk = jwks.keys.find((k) => k.kid === 'rs-1')!;
    const pem = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256', kid: 'rs-1' })}.${b64(payload())}`;
    const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expectFailure(await verifierFor(googleLike()).verify('google', token), 'unsupported_algorithm');
  });

  it('verify refuses an alg that does not match the key type of its kid', async () => {
    const genuineEs = await issuer.token({ kid: 'es-1', claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' } });
    const [, body, signature] = genuineEs.split('.');
    const relabelled = `${b64({ alg: 'RS256', kid: 'es-1' })}.${body}.${signature}`;
    expectFailure(await verifierFor(googleLike()).verify('google', relabelled), 'unsupported_algorithm');
  });

  it('verify refuses a crit header, a missing kid and an unknown kid', async () => {
    const verifier = verifierFor(googleLike());
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expectFailure(await verifier.verify('google', forge({ alg: 'RS256', kid: 'rs-1', crit: ['exp'] }, payload(), rsa)), 'unsupported_algorithm');
    expectFailure(await verifier.verify('google', forge({ alg: 'RS256' }, payload(), rsa)), 'malformed');
    expectFailure(await verifier.verify('google', forge({ alg: 'RS256', kid: 'nobody' }, payload(), rsa)), 'unknown_key');
  });

  it('verify refuses garbage, a token over 8192 characters, and claims that are not numbers', async () => {
    const verifier = verifierFor(googleLike());
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', '!!.??.**', `${b64('[1]')}.${b64('{}')}.sig`, 'x'.repeat(8193)]) {
      expectFailure(await verifier.verify('google', token), 'malformed');
    }
    const long = await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1', padding: 'x'.repeat(8200) } });
    expectFailure(await verifier.verify('google', long), 'malformed');
    expectFailure(await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' }, remove: ['exp'] })), 'malformed');
    expectFailure(await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1', iat: String(nowSeconds()) } })), 'malformed');
  });

  it('verify refuses a token issued in the future, not valid yet, or older than a day', async () => {
    const verifier = verifierFor(googleLike());
    const now = nowSeconds();
    const token = (claims: Record<string, unknown>) => issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1', ...claims } });
    expectFailure(await verifier.verify('google', await token({ iat: now + 600 })), 'not_yet_valid');
    expectFailure(await verifier.verify('google', await token({ nbf: now + 600 })), 'not_yet_valid');
    expectFailure(await verifier.verify('google', await token({ iat: now - 2 * 86400, exp: now + 600 })), 'expired');
  });

  it('verify refuses a token without a subject', async () => {
    const verifier = verifierFor(googleLike());
    expectFailure(await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0] }, remove: ['sub'] })), 'missing_subject');
    expectFailure(await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: '' } })), 'missing_subject');
  });

  it('verify answers not_configured (412 project_provider_disabled) for a provider left out', async () => {
    const result = await verifierFor(googleLike()).verify('apple', await issuer.token({ kid: 'es-1', claims: { aud: APPLE_CLIENT, sub: 'a-1' } }), 'raw');
    expectFailure(result, 'not_configured');
    expect(idTokenError(result as Extract<IdTokenResult, { ok: false }>).toJSON()).toMatchObject({ code: 412, type: 'project_provider_disabled' });
  });
});

describe('the key set cache', () => {
  const token = () => issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' } });
  afterEach(async () => {
    await issuer.setJwks('up');
  });

  it('fetches the discovery document and the key set once, for concurrent requests too, per verifier', async () => {
    const before = await issuer.hits();
    const verifier = verifierFor(googleLike());
    const tokens = await Promise.all(Array.from({ length: 8 }, token));
    const results = await Promise.all(tokens.map((t) => verifier.verify('google', t)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await issuer.hits()).toEqual({ discovery: before.discovery + 1, jwks: before.jwks + 1 });
    // Another verifier (another router) keeps its own cache.
    expect((await verifierFor(googleLike()).verify('google', tokens[0]!)).ok).toBe(true);
    expect((await issuer.hits()).jwks).toBe(before.jwks + 2);
  });

  it('a flood of made-up kids costs at most one refetch per refresh interval', async () => {
    const clock = testClock();
    const verifier = verifierFor(googleLike(), { now: clock.now });
    expect((await verifier.verify('google', await token())).ok).toBe(true);
    const before = await issuer.hits();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = () => forge({ alg: 'RS256', kid: randomUUID() }, { iss: issuer.issuer, aud: GOOGLE_CLIENTS[0], sub: 'g-1', iat: nowSeconds(), exp: nowSeconds() + 600 }, rsa);
    const burst = await Promise.all(Array.from({ length: 25 }, () => verifier.verify('google', forged())));
    for (let i = 0; i < 25; i++) burst.push(await verifier.verify('google', forged()));
    expect(burst.every((r) => !r.ok && r.reason === 'unknown_key')).toBe(true);
    expect((await issuer.hits()).jwks).toBe(before.jwks + 1);
    clock.advance(61_000);
    expectFailure(await verifier.verify('google', forged()), 'unknown_key');
    expectFailure(await verifier.verify('google', forged()), 'unknown_key');
    expect(await issuer.hits()).toEqual({ discovery: before.discovery, jwks: before.jwks + 2 });
    // Genuine tokens keep verifying from the cache throughout.
    expect((await verifier.verify('google', await token())).ok).toBe(true);
  });

  it('refetches the key set (and the discovery document) after the TTL', async () => {
    const clock = testClock();
    const verifier = verifierFor(googleLike(), { now: clock.now, keysTtlMs: 3_600_000 });
    expect((await verifier.verify('google', await token())).ok).toBe(true);
    const before = await issuer.hits();
    clock.advance(3_600_000);
    // The tokens are stamped with the real time, an hour behind the test clock: give them a longer life.
    expect((await verifier.verify('google', await issuer.token({ claims: { aud: GOOGLE_CLIENTS[0], sub: 'g-1' }, expiresIn: 7200 }))).ok).toBe(true);
    expect(await issuer.hits()).toEqual({ discovery: before.discovery + 1, jwks: before.jwks + 1 });
  });

  it('a key set that answers 503 fails clearly (424), is not asked again within the interval, and recovers', async () => {
    const clock = testClock();
    const verifier = verifierFor(googleLike(), { now: clock.now });
    await issuer.setJwks('error');
    const first = await verifier.verify('google', await token());
    expectFailure(first, 'provider_unavailable');
    expect(idTokenError(first as Extract<IdTokenResult, { ok: false }>).toJSON()).toMatchObject({ code: 424, type: 'user_oauth2_provider_error' });
    const before = await issuer.hits();
    expectFailure(await verifier.verify('google', await token()), 'provider_unavailable');
    expect((await issuer.hits()).jwks).toBe(before.jwks);
    await issuer.setJwks('up');
    clock.advance(61_000);
    expect((await verifier.verify('google', await token())).ok).toBe(true);
  });

  it('a key set that never answers times out instead of hanging the request', async () => {
    const verifier = verifierFor(googleLike(), { timeoutMs: 300 });
    await issuer.setJwks('hang');
    const result = await verifier.verify('google', await token());
    expectFailure(result, 'provider_unavailable');
    expect((result as { cause?: { kind?: string } }).cause?.kind).toBe('timeout');
  });

  it('a key set over 64 KiB, or not JSON, is refused', async () => {
    await issuer.setJwks('huge');
    const huge = await verifierFor(googleLike()).verify('google', await token());
    expectFailure(huge, 'provider_unavailable');
    expect((huge as { cause?: { kind?: string } }).cause?.kind).toBe('too_large');
    await issuer.setJwks('garbage');
    expectFailure(await verifierFor(googleLike()).verify('google', await token()), 'provider_unavailable');
  });

  it('a discovery document naming another issuer is refused', async () => {
    const verifier = verifierFor({ google: { clientIds: GOOGLE_CLIENTS, issuer: `${issuer.issuer}/` } });
    expectFailure(await verifier.verify('google', await token()), 'provider_unavailable');
  });

  it('an issuer that cannot be reached at all fails clearly', async () => {
    const verifier = verifierFor({ google: { clientIds: GOOGLE_CLIENTS, issuer: 'http://127.0.0.1:9' } }, { timeoutMs: 1000 });
    expectFailure(await verifier.verify('google', await token()), 'provider_unavailable');
  });
});

describe('createIdTokenVerifier options', () => {
  it.each([
    [{ google: { clientIds: [] } }, '`idTokens.google.clientIds`'],
    [{ google: { clientIds: [''] } }, '`idTokens.google.clientIds`'],
    [{ google: { clientIds: 'web-client' } }, '`idTokens.google.clientIds`'],
    [{ apple: { clientIds: ['a'], issuer: 'http://appleid.example.com' } }, '`idTokens.apple.issuer`'],
    [{ apple: { clientIds: ['a'], issuer: 'not a url' } }, '`idTokens.apple.issuer`'],
    [{ apple: { clientIds: ['a'], verbatimNonce: 'yes' } }, '`idTokens.apple.verbatimNonce`'],
    [{ github: { clientIds: ['a'] } }, '`idTokens.github`'],
  ])('createIdTokenVerifier(%j) throws a TypeError naming %s', (providers, name) => {
    expect(() => createIdTokenVerifier({ providers: providers as IdTokenOptions })).toThrow(TypeError);
    expect(() => createIdTokenVerifier({ providers: providers as IdTokenOptions })).toThrow(name);
  });

  it('createIdTokenVerifier names the option path it is given and lists the enabled providers', () => {
    expect(() => createIdTokenVerifier({ providers: { google: { clientIds: [] } }, optionName: 'oauth2.native' })).toThrow('`oauth2.native.google.clientIds`');
    expect(createIdTokenVerifier({ providers: { apple: { clientIds: ['a'] }, google: undefined } }).providers).toEqual(['apple']);
  });
});
