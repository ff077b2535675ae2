// Random secrets and how they are kept at rest: only a keyed hash is ever stored, so a copy of
// the database alone cannot be replayed, and even 6-digit codes cannot be brute-forced offline.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

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
  constructor(private readonly key: string) {}

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
