// Which locale a request's messages use: normalising the codes clients send, matching them to
// the locales that exist, and the order in which a message looks for each of its fields.
//
// Matching goes by language and script, not by spelling: `fr-CH` uses `fr`, `pt-PT` uses
// `pt-br` (same language and script, nearest we have), and Chinese goes by script, so
// `zh`, `zh-Hans`, `zh-SG` use `zh-cn` and `zh-Hant`, `zh-HK`, `zh-MO` use `zh-tw`. A code in
// another script than every locale of its language (`sr-Latn` against a Cyrillic `sr`) matches
// nothing. Likely scripts and regions come from CLDR through `Intl.Locale#maximize`.

/** RFC 5646 §4.4.1: 35 characters hold every tag that matters. */
const MAX_TAG_LENGTH = 35;
/** Accept-Language is read up to this many characters and ranges; the rest is ignored. */
const MAX_ACCEPT_LANGUAGE_LENGTH = 1024;
const MAX_ACCEPT_LANGUAGE_RANGES = 24;
/** How many codes and Accept-Language values a resolver remembers the answer for, and the longest value it keeps. */
const MEMO_LIMIT = 256;
const MEMO_KEY_LENGTH = 256;

/** `pt_BR`, ` PT-br ` → `pt-br`; `null` for anything that is not a language tag. */
export function normalizeLocale(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toLowerCase().replace(/_/g, '-');
  if (code.length > MAX_TAG_LENGTH || !/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(code)) return null;
  return code;
}

interface Identity {
  code: string;
  language: string;
  script: string;
  region: string;
  /** The code names only a language (`fr`, not `fr-ca` or `zh-hant`). */
  bare: boolean;
}

function identify(code: string): Identity | null {
  try {
    const locale = new Intl.Locale(code);
    const likely = locale.maximize();
    return { code, language: likely.language, script: likely.script ?? '', region: likely.region ?? '', bare: !locale.script && !locale.region };
  } catch {
    // Well-formed by our pattern but not to ICU (`en-12`): it matches nothing.
    return null;
  }
}

/** How well `candidate` serves `wanted`; lower is better, `null` is not at all. */
function rank(wanted: Identity, candidate: Identity): number | null {
  if (candidate.code === wanted.code) return 0;
  if (candidate.language !== wanted.language || candidate.script !== wanted.script) return null;
  if (candidate.region === wanted.region) return 1;
  return candidate.bare ? 2 : 3;
}

/** The available codes that can stand for `wanted`, best first (ties keep `available`'s order). */
function matches(wanted: string, available: readonly Identity[]): string[] {
  const exact = available.find((a) => a.code === wanted);
  const identity = identify(wanted);
  if (!identity) return exact ? [exact.code] : [];
  return available
    .map((candidate, index) => ({ code: candidate.code, rank: rank(identity, candidate), index }))
    .filter((m): m is { code: string; rank: number; index: number } => m.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((m) => m.code);
}

function identifyAll(available: Iterable<string>): Identity[] {
  const seen = new Set<string>();
  const identities: Identity[] = [];
  for (const value of available) {
    const code = normalizeLocale(value);
    if (!code || seen.has(code)) continue;
    seen.add(code);
    identities.push(identify(code) ?? { code, language: '', script: '', region: '', bare: false });
  }
  return identities;
}

/**
 * Where a message of `locale` looks for each field, in order: the available locales that can
 * stand for it (best first), then those for `defaultLocale`, then `en`. `fr-CA` with `fr` and
 * `fr-ca` available → `['fr-ca', 'fr', 'en']`; `zh-HK` → `['zh-tw', 'en']`; garbage → `['en']`.
 */
export function localeFallbacks(locale: string | undefined, available: Iterable<string>, defaultLocale = 'en'): string[] {
  const identities = identifyAll(available);
  const chain = new Set<string>();
  for (const wanted of [normalizeLocale(locale), normalizeLocale(defaultLocale)]) {
    if (wanted) for (const code of matches(wanted, identities)) chain.add(code);
  }
  chain.add('en');
  return [...chain];
}

/** What a request says about its language. Every field is optional and taken as sent (unchecked). */
export interface LocaleSources {
  /** The `locale` parameter (query or body), Appwrite's first choice. */
  param?: unknown;
  /** The `X-Appwrite-Locale` header, which the SDKs' `client.setLocale()` sets. */
  header?: unknown;
  /** The `Accept-Language` header, consulted only when neither of the above is sent. */
  acceptLanguage?: unknown;
}

export interface LocaleSettings {
  /** The locales messages exist in: the built-in ones and the keys of the `templates` option. */
  available: Iterable<string>;
  /** Used when the request names no usable locale. @default 'en' */
  defaultLocale?: string;
}

const isSent = (value: unknown) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/**
 * Resolves the locale of a request's messages for one set of settings, the available locales
 * analysed once: a router builds one at start-up and calls it once per request. The answer is
 * one of `available` (lower case, e.g. `pt-br`) or the default.
 *
 * As Appwrite: the `locale` parameter if sent, else `X-Appwrite-Locale`. A code that is sent
 * but matches nothing gives the default; it does not fall through to the next source. A
 * regional code without a locale of its own uses its language (`ar-AE` → `ar`).
 *
 * Beyond Appwrite: codes are case-insensitive and `_` reads as `-` (`pt_BR` = `pt-br`), a
 * code matches a sibling in its script (`pt-PT` → `pt-br`, `zh-HK` → `zh-tw`), and when
 * neither is sent `Accept-Language` picks: ranges by q-value (ties in header order), `q=0`
 * excluded, `*` meaning the default, malformed ranges skipped, at most 24 ranges read.
 *
 * @example localeResolver({ available: ['en', 'fr'] })({ acceptLanguage: 'fr-CH,fr;q=0.9,en;q=0.8' }) // 'fr'
 */
export function localeResolver(settings: LocaleSettings): (sources: LocaleSources) => string {
  const identities = identifyAll(settings.available);
  // Matching costs an Intl.Locale#maximize and a sort per code: clients send the same few codes
  // and Accept-Language values over and over, so the answers are remembered.
  const matchOf = remembered((code) => matches(code, identities)[0] ?? null);
  const best = (value: unknown) => {
    const code = normalizeLocale(value);
    return code ? matchOf(code) : null;
  };
  const fallback = best(settings.defaultLocale ?? 'en') ?? 'en';
  const fromRanges = (header: string) => {
    for (const range of acceptedRanges(header)) {
      if (range === '*') return fallback;
      const match = best(range);
      if (match) return match;
    }
    return fallback;
  };
  const fromAcceptLanguage = remembered(fromRanges);
  return function resolveRequestLocale(sources: LocaleSources): string {
    const explicit = isSent(sources.param) ? sources.param : sources.header;
    if (isSent(explicit)) return best(explicit) ?? fallback;
    const header = sources.acceptLanguage;
    if (typeof header !== 'string') return fallback;
    return header.length <= MEMO_KEY_LENGTH ? fromAcceptLanguage(header) : fromRanges(header);
  };
}

/** `compute`, its answers remembered for the last `MEMO_LIMIT` keys (bounded against a stream of odd ones). */
function remembered<V>(compute: (key: string) => V): (key: string) => V {
  const answers = new Map<string, V>();
  return (key) => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = compute(key);
    if (answers.size >= MEMO_LIMIT) answers.delete(answers.keys().next().value as string);
    answers.set(key, answer);
    return answer;
  };
}

/**
 * Resolves the locale of a request's response models (the `countryName` of sessions and logs),
 * picked as Appwrite picks it: the `locale` parameter if sent, else `X-Appwrite-Locale`, else
 * `defaultLocale`. Any code that CLDR has names in is used as sent (lower case), not only the
 * locales messages exist in, as Appwrite's locale files name countries in more languages than
 * they translate mails; a code it has none for gives `defaultLocale`. Built once per router.
 *
 * `Accept-Language` is not read, as Appwrite does not read it: a response model is data the app
 * renders in its own interface, so its language is the app's to choose (`client.setLocale()`),
 * not the browser's, and responses do not vary with a header the app never set.
 */
export function modelLocaleResolver(defaultLocale: string): (sources: Pick<LocaleSources, 'param' | 'header'>) => string {
  const named = remembered(hasRegionNames);
  return function resolveModelLocale(sources) {
    const explicit = isSent(sources.param) ? sources.param : sources.header;
    const code = isSent(explicit) ? normalizeLocale(explicit) : null;
    return code && named(code) ? code : defaultLocale;
  };
}

function hasRegionNames(code: string): boolean {
  try {
    return Intl.DisplayNames.supportedLocalesOf(code).length > 0;
  } catch {
    // Well-formed by our pattern but not to ICU.
    return false;
  }
}

/** The language ranges of an Accept-Language value, most wanted first, without `q=0` ones. */
export function acceptedRanges(header: unknown): string[] {
  if (typeof header !== 'string') return [];
  // Cut at a comma so that a long header does not end in half a range that looks whole.
  const read = header.length > MAX_ACCEPT_LANGUAGE_LENGTH ? header.slice(0, Math.max(0, header.lastIndexOf(',', MAX_ACCEPT_LANGUAGE_LENGTH))) : header;
  const ranges: { range: string; q: number; index: number }[] = [];
  read
    .split(',')
    .slice(0, MAX_ACCEPT_LANGUAGE_RANGES)
    .forEach((part, index) => {
      const match = /^\s*(\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)\s*(?:;\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?\s*$/i.exec(part);
      if (!match) return;
      const q = match[2] === undefined ? 1 : Number(match[2]);
      if (q > 0) ranges.push({ range: match[1]!.toLowerCase(), q, index });
    });
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map((r) => r.range);
}
