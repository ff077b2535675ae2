// Breached-password checks (issue 17, Appwrite's `password-pwned` policy) against Have I Been
// Pwned's k-anonymity range API or a compatible server: only the first 5 hex characters of the
// password's SHA-1 leave the machine, and the answer (every known suffix under that prefix) is
// searched here. A check that cannot be made accepts the password and says so in the log.
import { createHash } from 'node:crypto';
import type { Logger } from '../options';
import { fetchTextBounded, OutboundFetchError } from './bounded-fetch';

/** Have I Been Pwned's Pwned Passwords API, the default range server. */
export const PWNED_PASSWORDS_API = 'https://api.pwnedpasswords.com';

/** A host-supplied check: resolves true when the password is known to be breached. */
export type PwnedPasswordLookup = (password: string) => Promise<boolean>;

export interface PwnedPasswordsOptions {
  /**
   * Who is asked: a function of your own (a local copy of the corpus, a cache, another service), or
   * the base URL of a server with HIBP's range API, asked `GET <url>/range/<5 hex chars>`.
   * @default 'https://api.pwnedpasswords.com'
   */
  checker?: PwnedPasswordLookup | string;
  /**
   * How long a check may take before the password is accepted unchecked (with a warning): a
   * breach corpus that is down must not stop sign-ups. @default 2000
   */
  timeoutMs?: number;
  /** Where the warnings go (the router's logger). */
  logger: Logger;
  /** The fetch used for a range server. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Option path named in TypeErrors. @default 'password.pwned' */
  optionName?: string;
}

/**
 * Checks one password: true when it appears in a breach, false when it does not, null when the
 * check could not be made (timeout, error, unreadable answer) and was skipped with a warning — so
 * the caller can leave `User.passwordPwned` null, "not checked", rather than claim it is safe.
 */
export type PwnedPasswordCheck = (password: string) => Promise<boolean | null>;

/** Largest range answer read: a padded HIBP answer is 800–2,000 lines of about 40 bytes. */
const MAX_RANGE_BYTES = 1024 * 1024;
const RANGE_LINE = /^([0-9A-Fa-f]{35}):(\d+)$/;

/** Why a check was skipped, for the warning. */
class CheckSkipped extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

/**
 * Whether `suffix` is listed with a count above zero. With `Add-Padding: true` the server mixes in
 * made-up suffixes with count 0, so the answer's size says nothing about the prefix; those are
 * never a match. Every line is read and checked (a malformed one fails the whole answer), so the
 * scan does not end early on a match; the comparison need not be constant-time anyway: the list is
 * public data the server sent, the suffix alone does not reveal the password, and the only party
 * timing this check is one who already chose the password.
 */
function rangeListsSuffix(body: string, suffix: string): boolean {
  const wanted = suffix.toUpperCase();
  let listed = false;
  for (const line of body.split('\n')) {
    const entry = line.trim();
    if (entry === '') continue;
    const match = RANGE_LINE.exec(entry);
    if (!match) throw new CheckSkipped('malformed', 'the range answer has a line that is not SUFFIX:COUNT');
    if (match[1]!.toUpperCase() === wanted && Number(match[2]) > 0) listed = true;
  }
  return listed;
}

/** A lookup against a range server; the URL is validated by the caller. */
function rangeLookup(baseUrl: string, timeoutMs: number, fetchImpl: typeof globalThis.fetch | undefined): PwnedPasswordLookup {
  const base = baseUrl.replace(/\/+$/, '');
  return async (password) => {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    let body: string;
    try {
      body = await fetchTextBounded(`${base}/range/${hash.slice(0, 5)}`, {
        fetch: fetchImpl,
        timeoutMs,
        maxBytes: MAX_RANGE_BYTES,
        headers: { 'Add-Padding': 'true', 'User-Agent': 'account-router', Accept: 'text/plain' },
      });
    } catch (error) {
      if (error instanceof OutboundFetchError) throw new CheckSkipped(error.kind, `the range server ${error.message}`);
      throw error;
    }
    return rangeListsSuffix(body, hash.slice(5));
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/**
 * Builds the check. It fails open: a lookup that throws, answers something that is not a boolean,
 * or takes longer than `timeoutMs` gives null and one `logger.warn`, which names the reason and
 * never the password or its hash. Throws a TypeError naming the option when the options are wrong.
 */
export function createPwnedPasswordCheck(options: PwnedPasswordsOptions): PwnedPasswordCheck {
  const optionName = options.optionName ?? 'password.pwned';
  const fail = (path: string, expected: string): never => {
    throw new TypeError(`createAccountRouter: option \`${optionName}${path}\` must be ${expected}.`);
  };
  const checker = options.checker ?? PWNED_PASSWORDS_API;
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) fail('.timeoutMs', 'a positive whole number of milliseconds');
  if (typeof checker !== 'function' && !(typeof checker === 'string' && isHttpUrl(checker))) {
    fail('.checker', 'a function (password) => Promise<boolean> or the http(s) URL of a range server');
  }
  const lookup = typeof checker === 'function' ? checker : rangeLookup(checker, timeoutMs, options.fetch);
  const source = typeof checker === 'function' ? 'the checker function' : new URL(checker).origin;
  const { logger } = options;

  return async function checkPwnedPassword(password) {
    let timer: NodeJS.Timeout | undefined;
    // The range lookup has its own deadline; this one also bounds a host function.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CheckSkipped('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const answer: unknown = await Promise.race([Promise.resolve().then(() => lookup(password)), deadline]);
      if (typeof answer !== 'boolean') throw new CheckSkipped('invalid_answer', 'the answer is not a boolean');
      return answer;
    } catch (error) {
      // Our own messages never hold the password; a host function's error might, so only its name is logged.
      const skipped = error instanceof CheckSkipped;
      logger.warn('Breached-password check skipped; the password was accepted unchecked.', {
        source,
        reason: skipped ? error.reason : 'error',
        detail: skipped ? error.message : `${typeof checker === 'function' ? 'the checker function' : 'the range lookup'} threw ${error instanceof Error ? error.name : typeof error}`,
      });
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
}
