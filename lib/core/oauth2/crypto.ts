// Signatures for OAuth2 state and PKCE: HMAC under the server secret, separated by purpose.
import { createHmac } from 'node:crypto';

/** HMAC-SHA-256 (base64url) under a key derived from the server secret for `purpose`. */
export function sign(serverSecret: string, purpose: string, data: string): string {
  return createHmac('sha256', `${purpose}\0${serverSecret}`).update(data).digest('base64url');
}
