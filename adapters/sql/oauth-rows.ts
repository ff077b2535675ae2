// Row readers for the authorization server's tables (lib/idp/), over a driver's decoders as in
// rows.ts: the client, consent, code, token-family and signing-key records.

import type { OAuthClientRecord, OAuthCodeRecord, OAuthConsentRecord, OAuthGrantRecord, SigningKeyRecord } from '../types';
import type { Decoders, Row } from './rows';

export interface OAuthRowReaders {
  toClient(row: Row): OAuthClientRecord;
  toConsent(row: Row): OAuthConsentRecord;
  toCode(row: Row): OAuthCodeRecord;
  toGrant(row: Row): OAuthGrantRecord;
  toSigningKey(row: Row): SigningKeyRecord;
}

const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => (value ?? null) as string | null;

export function createOAuthRowReaders({ date, json }: Pick<Decoders, 'date' | 'json'>): OAuthRowReaders {
  const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
  const details = (value: unknown): unknown[] | null => (value === null || value === undefined ? null : json<unknown[]>(value));

  /** What a code hands on to the token family it becomes: the grant's who, what and how. */
  const granted = (row: Row) => ({
    clientId: text(row.client_id),
    userId: text(row.user_id),
    consentId: text(row.consent_id),
    scopes: json<string[]>(row.scopes),
    resources: json<string[]>(row.resources),
    authorizationDetails: details(row.authorization_details),
    authTime: date(row.auth_time),
    amr: json<string[]>(row.amr),
  });

  return {
    toClient: (row) => ({
      id: text(row.id),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
      name: text(row.name),
      secretHash: textOrNull(row.secret_hash),
      redirectUris: json<string[]>(row.redirect_uris),
      scopes: json<string[]>(row.scopes),
      source: text(row.source) as OAuthClientRecord['source'],
      clientUri: text(row.client_uri),
      expire: dateOrNull(row.expire),
      accessTokenFormat: text(row.access_token_format) as OAuthClientRecord['accessTokenFormat'],
    }),
    toConsent: (row) => ({
      id: text(row.id),
      userId: text(row.user_id),
      clientId: text(row.client_id),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
      scopes: json<string[]>(row.scopes),
      resources: json<string[]>(row.resources),
      authorizationDetails: details(row.authorization_details),
      expire: dateOrNull(row.expire),
    }),
    toCode: (row) => ({
      codeHash: text(row.code_hash),
      ...granted(row),
      sessionId: text(row.session_id),
      redirectUri: text(row.redirect_uri),
      nonce: textOrNull(row.nonce),
      codeChallenge: text(row.code_challenge),
      createdAt: date(row.created_at),
      expire: date(row.expire),
    }),
    toGrant: (row) => ({
      id: text(row.id),
      ...granted(row),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
      expire: date(row.expire),
      generation: Number(row.generation),
      refreshHash: textOrNull(row.refresh_hash),
      accessHash: textOrNull(row.access_hash),
      accessClaims: row.access_claims === null || row.access_claims === undefined ? null : json<Record<string, unknown>>(row.access_claims),
    }),
    toSigningKey: (row) => ({
      id: text(row.id),
      alg: text(row.alg) as SigningKeyRecord['alg'],
      publicJwk: json<Record<string, unknown>>(row.public_jwk),
      privateKey: text(row.private_key),
      createdAt: date(row.created_at),
      expire: date(row.expire),
    }),
  };
}
