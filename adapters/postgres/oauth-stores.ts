// The authorization server's stores (lib/idp/) on PostgreSQL: the single-use codes and the
// refresh rotation are one statement each (DELETE … RETURNING, UPDATE … WHERE generation = …), so
// of concurrent callers on any number of connections exactly one wins.

import type { QueryResult } from 'pg';
import type { OAuthClientStore, OAuthCodeStore, OAuthConsentStore, OAuthGrantStore, SigningKeyStore, StorageStores } from '../types';
import { createOAuthRowReaders } from '../sql/oauth-rows';
import type { Row } from '../sql/rows';
import { COLUMNS } from '../sql/schema';
import { toParams } from './rows';
import type { Db } from './stores';

type OAuthStores = Pick<StorageStores, 'oauthClients' | 'oauthConsents' | 'oauthCodes' | 'oauthGrants' | 'signingKeys'>;

const { toClient, toConsent, toCode, toGrant, toSigningKey } = createOAuthRowReaders({
  date: (value) => (value instanceof Date ? value : new Date(value as number)),
  json: <T>(value: unknown) => value as T,
});

function insertSql(table: keyof typeof COLUMNS): string {
  const columns = COLUMNS[table];
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
}

const SQL = {
  insertClient: `${insertSql('oauth_clients')} RETURNING *`,
  putClient: `${insertSql('oauth_clients')} ON CONFLICT (id) DO UPDATE SET
    updated_at = excluded.updated_at, name = excluded.name, secret_hash = excluded.secret_hash,
    redirect_uris = excluded.redirect_uris, scopes = excluded.scopes, source = excluded.source,
    client_uri = excluded.client_uri, expire = excluded.expire, access_token_format = excluded.access_token_format RETURNING *`,
  getClient: 'SELECT * FROM oauth_clients WHERE id = $1',
  deleteClient: 'DELETE FROM oauth_clients WHERE id = $1',
  grantConsent: `${insertSql('oauth_consents')} ON CONFLICT (user_id, client_id) DO UPDATE SET
    updated_at = excluded.updated_at, scopes = excluded.scopes, resources = excluded.resources,
    authorization_details = excluded.authorization_details, expire = excluded.expire RETURNING *`,
  getConsent: 'SELECT * FROM oauth_consents WHERE id = $1',
  getConsentByClient: 'SELECT * FROM oauth_consents WHERE user_id = $1 AND client_id = $2',
  listConsents: `SELECT c.total, p.* FROM (SELECT count(*)::int AS total FROM oauth_consents WHERE user_id = $1) c
    LEFT JOIN LATERAL (SELECT * FROM oauth_consents WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) p ON true
    ORDER BY p.created_at DESC, p.id DESC`,
  deleteConsent: 'DELETE FROM oauth_consents WHERE id = $1',
  insertCode: `${insertSql('oauth_codes')} RETURNING *`,
  consumeCode: 'DELETE FROM oauth_codes WHERE code_hash = $1 RETURNING *',
  deleteExpiredCodes: 'DELETE FROM oauth_codes WHERE expire <= $1',
  insertGrant: `${insertSql('oauth_grants')} RETURNING *`,
  getGrant: 'SELECT * FROM oauth_grants WHERE id = $1',
  rotateGrant: `UPDATE oauth_grants SET generation = generation + 1, refresh_hash = $3, expire = $4, updated_at = $5
    WHERE id = $1 AND generation = $2 AND expire > $5 RETURNING *`,
  setGrantAccess: 'UPDATE oauth_grants SET access_hash = $2, access_claims = $3 WHERE id = $1',
  getGrantByAccess: 'SELECT * FROM oauth_grants WHERE access_hash = $1',
  listGrants: `SELECT c.total, p.* FROM (SELECT count(*)::int AS total FROM oauth_grants WHERE consent_id = $1) c
    LEFT JOIN LATERAL (SELECT * FROM oauth_grants WHERE consent_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) p ON true
    ORDER BY p.created_at DESC, p.id DESC`,
  deleteGrant: 'DELETE FROM oauth_grants WHERE id = $1',
  deleteExpiredGrants: 'DELETE FROM oauth_grants WHERE expire <= $1',
  insertSigningKey: `${insertSql('signing_keys')} RETURNING *`,
  listSigningKeys: 'SELECT * FROM signing_keys WHERE expire > $1 ORDER BY created_at DESC, id DESC',
  deleteExpiredSigningKeys: 'DELETE FROM signing_keys WHERE expire <= $1',
};

const first = (result: QueryResult<Row>): Row | undefined => result.rows[0];
const count = (result: QueryResult<Row>): number => result.rowCount ?? 0;
/** A page query's rows: the total on every row, and one row of nulls when the page is empty. */
const page = <T>(result: QueryResult<Row>, read: (row: Row) => T) => ({
  total: (result.rows[0]?.total as number | undefined) ?? 0,
  items: result.rows.filter((row) => row.id !== null).map(read),
});

/** `mapped` turns unique-index refusals into ConflictError (the postgres stores' own helper). */
export function createOAuthStores(db: Db, mapped: <T>(promise: Promise<T>) => Promise<T>): OAuthStores {
  const oauthClients: OAuthClientStore = {
    async create(client) {
      return toClient(first(await mapped(db.write(SQL.insertClient, toParams(client, COLUMNS.oauth_clients))))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getClient, [id]));
      return row ? toClient(row) : null;
    },
    async put(client) {
      return toClient(first(await mapped(db.write(SQL.putClient, toParams(client, COLUMNS.oauth_clients))))!);
    },
    async delete(id) {
      return count(await db.query(SQL.deleteClient, [id])) > 0;
    },
  };

  const oauthConsents: OAuthConsentStore = {
    async grant(consent) {
      return toConsent(first(await mapped(db.write(SQL.grantConsent, toParams(consent, COLUMNS.oauth_consents))))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getConsent, [id]));
      return row ? toConsent(row) : null;
    },
    async getByClient(userId, clientId) {
      const row = first(await db.query(SQL.getConsentByClient, [userId, clientId]));
      return row ? toConsent(row) : null;
    },
    async listByUser(userId, { limit, offset }) {
      return page(await db.query(SQL.listConsents, [userId, limit, offset]), toConsent);
    },
    async delete(id) {
      // Codes and grants go with it: ON DELETE CASCADE, in the same statement.
      return count(await db.query(SQL.deleteConsent, [id])) > 0;
    },
  };

  const oauthCodes: OAuthCodeStore = {
    async create(code) {
      return toCode(first(await mapped(db.write(SQL.insertCode, toParams(code, COLUMNS.oauth_codes))))!);
    },
    async consume(codeHash, now) {
      // Deleted whether or not it expired: an expired code is of no use to anyone either.
      const row = first(await db.query(SQL.consumeCode, [codeHash]));
      if (!row) return null;
      const code = toCode(row);
      return code.expire > now ? code : null;
    },
    async deleteExpired(now) {
      return count(await db.query(SQL.deleteExpiredCodes, [now]));
    },
  };

  const oauthGrants: OAuthGrantStore = {
    async create(grant) {
      return toGrant(first(await mapped(db.write(SQL.insertGrant, toParams(grant, COLUMNS.oauth_grants))))!);
    },
    async get(id) {
      const row = first(await db.query(SQL.getGrant, [id]));
      return row ? toGrant(row) : null;
    },
    async rotate({ id, generation, refreshHash, expire, now }) {
      const row = first(await db.query(SQL.rotateGrant, [id, generation, refreshHash, expire, now]));
      return row ? toGrant(row) : null;
    },
    async setAccessToken({ id, accessHash, accessClaims }) {
      return count(await db.query(SQL.setGrantAccess, [id, accessHash, JSON.stringify(accessClaims)])) > 0;
    },
    async getByAccessHash(accessHash) {
      const row = first(await db.query(SQL.getGrantByAccess, [accessHash]));
      return row ? toGrant(row) : null;
    },
    async listByConsent(consentId, { limit, offset }) {
      return page(await db.query(SQL.listGrants, [consentId, limit, offset]), toGrant);
    },
    async delete(id) {
      return count(await db.query(SQL.deleteGrant, [id])) > 0;
    },
    async deleteExpired(now) {
      return count(await db.query(SQL.deleteExpiredGrants, [now]));
    },
  };

  const signingKeys: SigningKeyStore = {
    async create(key) {
      return toSigningKey(first(await mapped(db.write(SQL.insertSigningKey, toParams(key, COLUMNS.signing_keys))))!);
    },
    async list(now) {
      return (await db.query(SQL.listSigningKeys, [now])).rows.map(toSigningKey);
    },
    async deleteExpired(now) {
      return count(await db.query(SQL.deleteExpiredSigningKeys, [now]));
    },
  };

  return { oauthClients, oauthConsents, oauthCodes, oauthGrants, signingKeys };
}
