// The authorization server's stores (lib/idp/) over the adapter's better-sqlite3 connection: the
// single-use codes and the refresh rotation are one statement each (DELETE … RETURNING, UPDATE …
// WHERE generation = …), which is what makes them race-safe across processes on one file.

import type Database from 'better-sqlite3';
import type { OAuthClientStore, OAuthCodeStore, OAuthConsentStore, OAuthGrantStore, SigningKeyStore, StorageStores } from '../types';
import { createOAuthRowReaders } from '../sql/oauth-rows';
import type { Row } from '../sql/rows';
import { COLUMNS } from '../sql/schema';
import { toParams } from './rows';

type OAuthStores = Pick<StorageStores, 'oauthClients' | 'oauthConsents' | 'oauthCodes' | 'oauthGrants' | 'signingKeys'>;

const { toClient, toConsent, toCode, toGrant, toSigningKey } = createOAuthRowReaders({
  date: (value) => new Date(value as number),
  json: <T>(value: unknown) => JSON.parse(value as string) as T,
});

function insertSql(table: keyof typeof COLUMNS): string {
  const columns = COLUMNS[table];
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`;
}

/** Records whose every column is bound, including the nullable ones left out of a record. */
function params(record: object, table: keyof typeof COLUMNS): Record<string, unknown> {
  const bound: Record<string, unknown> = Object.fromEntries(COLUMNS[table].map((column) => [column, null]));
  return { ...bound, ...toParams(record) };
}

/** `write` maps constraint refusals to ConflictError (the sqlite stores' own helper). */
export function createOAuthStores(db: Database.Database, write: (statement: Database.Statement, params: object) => Row | undefined): OAuthStores {
  const sql = {
    insertClient: db.prepare(`${insertSql('oauth_clients')} RETURNING *`),
    putClient: db.prepare(`${insertSql('oauth_clients')} ON CONFLICT (id) DO UPDATE SET
      updated_at = excluded.updated_at, name = excluded.name, secret_hash = excluded.secret_hash,
      redirect_uris = excluded.redirect_uris, scopes = excluded.scopes, source = excluded.source,
      client_uri = excluded.client_uri, expire = excluded.expire, access_token_format = excluded.access_token_format RETURNING *`),
    getClient: db.prepare('SELECT * FROM oauth_clients WHERE id = ?'),
    deleteClient: db.prepare('DELETE FROM oauth_clients WHERE id = ?'),
    grantConsent: db.prepare(`${insertSql('oauth_consents')} ON CONFLICT (user_id, client_id) DO UPDATE SET
      updated_at = excluded.updated_at, scopes = excluded.scopes, resources = excluded.resources,
      authorization_details = excluded.authorization_details, expire = excluded.expire RETURNING *`),
    getConsent: db.prepare('SELECT * FROM oauth_consents WHERE id = ?'),
    getConsentByClient: db.prepare('SELECT * FROM oauth_consents WHERE user_id = ? AND client_id = ?'),
    listConsents: db.prepare('SELECT * FROM oauth_consents WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?'),
    countConsents: db.prepare('SELECT COUNT(*) FROM oauth_consents WHERE user_id = ?').pluck(),
    deleteConsent: db.prepare('DELETE FROM oauth_consents WHERE id = ?'),
    insertCode: db.prepare(`${insertSql('oauth_codes')} RETURNING *`),
    consumeCode: db.prepare('DELETE FROM oauth_codes WHERE code_hash = ? RETURNING *'),
    deleteExpiredCodes: db.prepare('DELETE FROM oauth_codes WHERE expire <= ?'),
    insertGrant: db.prepare(`${insertSql('oauth_grants')} RETURNING *`),
    getGrant: db.prepare('SELECT * FROM oauth_grants WHERE id = ?'),
    rotateGrant: db.prepare(`UPDATE oauth_grants SET generation = generation + 1, refresh_hash = @refresh_hash,
      expire = @expire, updated_at = @now WHERE id = @id AND generation = @generation AND expire > @now RETURNING *`),
    setGrantAccess: db.prepare('UPDATE oauth_grants SET access_hash = @access_hash, access_claims = @access_claims WHERE id = @id'),
    getGrantByAccess: db.prepare('SELECT * FROM oauth_grants WHERE access_hash = ?'),
    listGrants: db.prepare('SELECT * FROM oauth_grants WHERE consent_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?'),
    countGrants: db.prepare('SELECT COUNT(*) FROM oauth_grants WHERE consent_id = ?').pluck(),
    deleteGrant: db.prepare('DELETE FROM oauth_grants WHERE id = ?'),
    deleteExpiredGrants: db.prepare('DELETE FROM oauth_grants WHERE expire <= ?'),
    insertSigningKey: db.prepare(`${insertSql('signing_keys')} RETURNING *`),
    listSigningKeys: db.prepare('SELECT * FROM signing_keys WHERE expire > ? ORDER BY created_at DESC, id DESC'),
    deleteExpiredSigningKeys: db.prepare('DELETE FROM signing_keys WHERE expire <= ?'),
  };

  const oauthClients: OAuthClientStore = {
    async create(client) {
      return toClient(write(sql.insertClient, params(client, 'oauth_clients'))!);
    },
    async get(id) {
      const row = sql.getClient.get(id) as Row | undefined;
      return row ? toClient(row) : null;
    },
    async put(client) {
      return toClient(write(sql.putClient, params(client, 'oauth_clients'))!);
    },
    async delete(id) {
      return sql.deleteClient.run(id).changes > 0;
    },
  };

  const oauthConsents: OAuthConsentStore = {
    async grant(consent) {
      return toConsent(write(sql.grantConsent, params(consent, 'oauth_consents'))!);
    },
    async get(id) {
      const row = sql.getConsent.get(id) as Row | undefined;
      return row ? toConsent(row) : null;
    },
    async getByClient(userId, clientId) {
      const row = sql.getConsentByClient.get(userId, clientId) as Row | undefined;
      return row ? toConsent(row) : null;
    },
    async listByUser(userId, { limit, offset }) {
      const items = (sql.listConsents.all(userId, limit, offset) as Row[]).map(toConsent);
      return { total: sql.countConsents.get(userId) as number, items };
    },
    async delete(id) {
      // Codes and grants go with it: ON DELETE CASCADE, in the same statement.
      return sql.deleteConsent.run(id).changes > 0;
    },
  };

  const oauthCodes: OAuthCodeStore = {
    async create(code) {
      return toCode(write(sql.insertCode, params(code, 'oauth_codes'))!);
    },
    async consume(codeHash, now) {
      // Deleted whether or not it expired: an expired code is of no use to anyone either.
      const row = sql.consumeCode.get(codeHash) as Row | undefined;
      if (!row) return null;
      const code = toCode(row);
      return code.expire > now ? code : null;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredCodes.run(now.getTime()).changes;
    },
  };

  const oauthGrants: OAuthGrantStore = {
    async create(grant) {
      return toGrant(write(sql.insertGrant, params(grant, 'oauth_grants'))!);
    },
    async get(id) {
      const row = sql.getGrant.get(id) as Row | undefined;
      return row ? toGrant(row) : null;
    },
    async rotate({ id, generation, refreshHash, expire, now }) {
      const row = sql.rotateGrant.get({ id, generation, refresh_hash: refreshHash, expire: expire.getTime(), now: now.getTime() }) as Row | undefined;
      return row ? toGrant(row) : null;
    },
    async setAccessToken({ id, accessHash, accessClaims }) {
      return sql.setGrantAccess.run({ id, access_hash: accessHash, access_claims: JSON.stringify(accessClaims) }).changes > 0;
    },
    async getByAccessHash(accessHash) {
      const row = sql.getGrantByAccess.get(accessHash) as Row | undefined;
      return row ? toGrant(row) : null;
    },
    async listByConsent(consentId, { limit, offset }) {
      const items = (sql.listGrants.all(consentId, limit, offset) as Row[]).map(toGrant);
      return { total: sql.countGrants.get(consentId) as number, items };
    },
    async delete(id) {
      return sql.deleteGrant.run(id).changes > 0;
    },
    async deleteExpired(now) {
      return sql.deleteExpiredGrants.run(now.getTime()).changes;
    },
  };

  const signingKeys: SigningKeyStore = {
    async create(key) {
      return toSigningKey(write(sql.insertSigningKey, params(key, 'signing_keys'))!);
    },
    async list(now) {
      return (sql.listSigningKeys.all(now.getTime()) as Row[]).map(toSigningKey);
    },
    async deleteExpired(now) {
      return sql.deleteExpiredSigningKeys.run(now.getTime()).changes;
    },
  };

  return { oauthClients, oauthConsents, oauthCodes, oauthGrants, signingKeys };
}
