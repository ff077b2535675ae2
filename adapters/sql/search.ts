// The words a user is found by, for every adapter's search index: one rule, applied in JavaScript
// both to what is indexed and to what is searched, so the two always agree whatever the database's
// locale (SQLite's lower() knows only ASCII; PostgreSQL's lower() and regex classes follow LC_CTYPE).

import type { UserRecord } from '../types';

/** How many words of a search are used; a search text is at most 256 characters anyway. */
export const MAX_SEARCH_WORDS = 16;

/**
 * `text` as search words: lower-cased, diacritics removed (NFKD, then combining marks dropped),
 * split into the runs of letters and digits. `"Zoë O'Brien-Smith"` → `['zoe', 'o', 'brien', 'smith']`,
 * `'+1 415…'` → `['1', '415', …]`, `'ada@example.com'` → `['ada', 'example', 'com']`.
 */
export function searchWords(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct words of the user's id, email, phone and name: what `users.list` searches. */
export function userSearchWords(user: Pick<UserRecord, 'id' | 'email' | 'phone' | 'name'>): string[] {
  return [...new Set(searchWords([user.id, user.email ?? '', user.phone ?? '', user.name].join(' ')))];
}

/**
 * The words a list's `search` looks for: null without a search (''), else its first
 * MAX_SEARCH_WORDS words, which may be none (a search of punctuation matches nothing).
 */
export function searchQueryWords(search: string): string[] | null {
  return search === '' ? null : [...new Set(searchWords(search))].slice(0, MAX_SEARCH_WORDS);
}

/** The fields whose change changes a user's search words. */
export const USER_SEARCH_FIELDS: readonly string[] = ['email', 'phone', 'name'];
