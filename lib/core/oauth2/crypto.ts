// Provider tokens at rest: AES-256-GCM under a key derived from the server secret, so a copy of the
// database alone does not hand out working access tokens.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

function key(serverSecret: string): Buffer {
  return createHash('sha256').update(`account-router/oauth2-tokens\0${serverSecret}`).digest();
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url); '' stays ''. */
export function encryptToken(serverSecret: string, plain: string): string {
  if (!plain) return '';
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(serverSecret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** The plain token, or '' when the value is empty or cannot be decrypted (e.g. the secret changed). */
export function decryptToken(serverSecret: string, stored: string): string {
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return '';
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(serverSecret), Buffer.from(parts[1]!, 'base64url'));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return '';
  }
}

/** HMAC-SHA-256 (base64url) under a key derived from the server secret for `purpose`. */
export function sign(serverSecret: string, purpose: string, data: string): string {
  return createHmac('sha256', `${purpose}\0${serverSecret}`).update(data).digest('base64url');
}
