// Sending a secret: the one path by which a code or a link reaches a user (sign-in tokens, email
// and phone verification, password recovery, MFA challenges). It builds the message's raw values
// (`MessageValues`), which the Messenger formats in the message's language, and it undoes what
// was issued when delivery fails, so a failed request leaves nothing that could never be used.
import type { TokenType, UserRecord } from '../../adapters/types';
import { isoDate } from '../models';
import type { RequestInfo, Services } from '../route';
import type { MailKind, MessageValues, SmsKind } from './messaging';
import { issueToken, linkWith, newSecret, type IssuedToken } from './tokens';

/** Where a secret goes: an email of one of the mail kinds, or a text message. */
export type Delivery = { mail: MailKind; to: string } | { sms: SmsKind; to: string };

/** What a secret's message says besides the user's name and the requester's address. */
export type SecretValues = Pick<MessageValues, 'code' | 'link' | 'phrase' | 'validityMs' | 'expire'>;

/**
 * Sends `values` to `user` as `via` says. When delivery fails, runs `undo` (the deletions of what
 * was issued for this message; a failed deletion is logged) and re-throws the delivery error.
 */
export async function sendSecret(
  services: Services,
  request: RequestInfo,
  message: { user: UserRecord; via: Delivery; values: SecretValues },
  undo: () => Promise<unknown>[],
): Promise<void> {
  const { user, via } = message;
  const values: MessageValues = { user: user.name, ip: request.ip, ...message.values };
  try {
    if ('mail' in via) await services.messages.sendMail(via.mail, { to: via.to, toName: user.name, locale: request.locale, values });
    else await services.messages.sendSms(via.sms, { to: via.to, locale: request.locale, values });
  } catch (error) {
    for (const result of await Promise.allSettled(undo())) {
      if (result.status === 'rejected') services.config.logger.warn('account-router: could not undo an undelivered token', { error: String(result.reason) });
    }
    throw error;
  }
}

/** Token types that reach the user in a message. */
export type MessageTokenType = Extract<
  TokenType,
  'email-otp' | 'magic-url' | 'phone' | 'email-verification' | 'recovery' | 'email-verification-otp' | 'recovery-otp'
>;

/** The shape of each type's secret: a 6-digit code, a 64-hex magic link, a 256-hex link. */
const SECRET_OF: Record<MessageTokenType, () => string> = {
  'email-otp': newSecret.code,
  phone: newSecret.code,
  'email-verification-otp': newSecret.code,
  'recovery-otp': newSecret.code,
  'magic-url': newSecret.magicLink,
  'email-verification': newSecret.link,
  recovery: newSecret.link,
};

export interface TokenMessage {
  user: UserRecord;
  /** The user was created for this token: an undelivered message deletes it again. */
  created?: boolean;
  type: MessageTokenType;
  lifetimeMs: number;
  via: Delivery;
  /** A link message: the page the link opens; the token's userId, secret and expire join its query, then `query`. */
  link?: { url: string; query?: Record<string, string> };
  /** The security phrase shown where the user asked (sign-in tokens only). */
  phrase?: string;
}

/**
 * Issues a single-use token and sends it: the code itself, or a link carrying it. A configured
 * mock number (the `mockNumbers` option) gets its fixed code and no message.
 */
export async function sendToken(services: Services, request: RequestInfo, message: TokenMessage): Promise<IssuedToken> {
  const { user, type, lifetimeMs, via, link, phrase } = message;
  const mockCode = 'sms' in via ? services.config.mockNumbers.get(via.to) : undefined;
  const secret = mockCode ?? SECRET_OF[type]();
  const token = await issueToken(services, { userId: user.id, type, secret, lifetimeMs, phrase });
  if (mockCode !== undefined) return token;
  const carrier = link ? { link: linkWith(link.url, { userId: token.userId, secret, expire: isoDate(token.expire), ...link.query }) } : { code: secret };
  await sendSecret(services, request, { user, via, values: { ...carrier, phrase, validityMs: lifetimeMs, expire: token.expire } }, () => [
    services.storage.tokens.delete(token.id),
    ...(message.created ? [services.storage.users.delete(user.id)] : []),
  ]);
  return token;
}
