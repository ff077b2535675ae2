// Random secrets and how they are kept at rest: only a keyed hash is ever stored, so a copy of
// the database alone cannot be replayed, and even 6-digit codes cannot be brute-forced offline.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** `length` uniformly random decimal digits (leading zeros allowed). */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += randomInt(10);
  return out;
}

export class SecretHasher {
  /** The key's bytes once, not at every hash: every authenticated request hashes a secret. */
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = Buffer.from(key, 'utf8');
  }

  /** HMAC-SHA-256 of the secret under the server secret, hex. */
  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('hex');
  }
}

/** Constant-time string comparison (length is not secret for our uses). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Secrets the router must read back (TOTP seeds, recovery codes for display, OAuth2 provider
 * tokens): AES-256-GCM under a key derived (HKDF-SHA-256) from the server secret, stored as
 * `v1.<base64url(iv | tag | ciphertext)>`. `''` stays `''`.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'account-router', 'secret-box-v1', 32));
  }

  seal(plain: string): string {
    if (!plain) return '';
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plain value; null when it was not sealed under this server secret or was tampered with. */
  open(sealed: string): string | null {
    if (!sealed.startsWith('v1.')) return null;
    try {
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
