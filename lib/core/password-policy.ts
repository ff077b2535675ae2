// Appwrite's project password policies (spec §9.2), each off by default: strength, common
// passwords, personal data, history and breached passwords (Have I Been Pwned). The 8–256-byte
// bound of every password param is params.ts's. `acceptNewPassword` is the one place a new
// password becomes what is stored: every route that sets one goes through it.
import type { UserRecord } from '../../adapters/types';
import { AccountError } from '../errors';
import type { ResolvedConfig } from '../options';
import type { Services } from '../route';
import { recordPasswordCheck } from './users';

type Policy = ResolvedConfig['password'];

const CHARACTER_CLASSES = [
  { option: 'uppercase', pattern: /\p{Lu}/u, words: 'an uppercase letter' },
  { option: 'lowercase', pattern: /\p{Ll}/u, words: 'a lowercase letter' },
  { option: 'number', pattern: /\p{Nd}/u, words: 'a number' },
  { option: 'symbols', pattern: /[^\p{L}\p{N}\s]/u, words: 'a symbol' },
] as const;

function describeStrength(policy: Policy): string {
  const required = CHARACTER_CLASSES.filter((c) => policy[c.option]).map((c) => c.words);
  const classes = required.length > 1 ? `${required.slice(0, -1).join(', ')} and ${required.at(-1)}` : required[0];
  return `Password must be at least ${policy.minLength} characters long${classes ? ` and contain ${classes}` : ''}.`;
}

const COMMON_PASSWORD_COUNT = 10_000;
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

/** Loaded on first use (≈ 20 ms): routers without the dictionary policy never pay for the list. */
async function isCommonPassword(password: string): Promise<boolean> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT)),
  );
  return (await commonPasswords).has(password);
}

/** Whose password it is, for the personal-data policy. */
export interface PasswordOwner {
  id: string;
  email?: string | null;
  name?: string;
  phone?: string | null;
}

function containsPersonalData(password: string, owner: PasswordOwner): boolean {
  const email = owner.email ?? '';
  const phone = owner.phone ?? '';
  const personal = [owner.id, email, email.slice(0, email.indexOf('@')), owner.name ?? '', phone, phone.replace(/^\+/, '')];
  const lowered = password.toLowerCase();
  return personal.some((value) => value !== '' && lowered.includes(value.toLowerCase()));
}

/**
 * Throws 400 general_argument_invalid when a new password is too weak or too common. Appwrite checks
 * these with the parameters, so routes run this before anything else.
 */
export async function checkPasswordStrength(services: Services, password: string): Promise<void> {
  const policy = services.config.password;
  const weak = Buffer.byteLength(password) < policy.minLength || CHARACTER_CLASSES.some((c) => policy[c.option] && !c.pattern.test(password));
  if (weak) throw new AccountError('general_argument_invalid', `Invalid \`password\` param: ${describeStrength(policy)}`);
  if (policy.dictionary && (await isCommonPassword(password))) {
    throw new AccountError('general_argument_invalid', 'Invalid `password` param: Password must not be one of the commonly used passwords.');
  }
}

/** What a new password sets on the account: its hash, and what the breached-password check said. */
export type NewPassword = Pick<UserRecord, 'passwordPwned'> & { passwordHash: string };

/**
 * A new password as the account stores it, once the personal-data policy (400
 * password_personal_data) and the breached-password policy (400 password_pwned) pass it.
 * `passwordPwned` is the check's answer: false, or null when the policy is off or the check could
 * not be made, so a new password never inherits the old one's flag.
 */
export async function acceptNewPassword(services: Services, password: string, owner: PasswordOwner): Promise<NewPassword> {
  const { personalData, pwned } = services.config.password;
  if (personalData && containsPersonalData(password, owner)) throw new AccountError('password_personal_data');
  // Side by side: bcrypt runs on the thread pool while the range server answers.
  const [passwordPwned, passwordHash] = await Promise.all([pwned ? pwned.check(password) : null, services.passwords.hash(password)]);
  if (passwordPwned) throw new AccountError('password_pwned');
  return { passwordHash, passwordPwned };
}

/**
 * The sign-in check of the `password.pwned.signIn` option, once `password` has verified: records
 * the answer on the account and, in `block` mode, refuses a breached password (412
 * user_password_reset_required; the account must recover). Returns the account as it now is.
 */
export async function checkSignInPassword(services: Services, user: UserRecord, password: string): Promise<UserRecord> {
  const pwned = services.config.password.pwned;
  if (!pwned || pwned.signIn === 'skip') return user;
  const verdict = await pwned.check(password);
  // A check that could not be made changes nothing: the last answer stands.
  const checked = verdict === null || verdict === user.passwordPwned ? user : await recordPasswordCheck(services, user, verdict);
  if (pwned.signIn === 'block' && checked.passwordPwned === true) throw new AccountError('user_password_reset_required');
  return checked;
}

/** True when the `block` mode keeps `user` out of the account until a recovery replaces the password. */
export function mustResetPassword(services: Services, user: UserRecord): boolean {
  return user.passwordPwned === true && services.config.password.pwned?.signIn === 'block';
}

/** Throws 400 password_recently_used when the password replacing `user`'s matches its current or a remembered one. */
export async function checkPasswordHistory(services: Services, user: UserRecord, password: string): Promise<void> {
  if (services.config.password.history === 0) return;
  const remembered = await services.storage.passwordHistory.list(user.id);
  const hashes = new Set(user.passwordHash ? [user.passwordHash, ...remembered] : remembered);
  // Checked side by side: bcrypt runs on libuv's thread pool.
  const matches = await Promise.all([...hashes].map((hash) => services.passwords.verify(password, hash)));
  if (matches.includes(true)) throw new AccountError('password_recently_used');
}
