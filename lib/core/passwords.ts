// Password hashing: bcrypt behind a small interface that can also verify hashes imported from
// elsewhere (see imported-hashes.ts). Stored hashes are self-describing (`<scheme>$<hash>`).
import { createHmac } from 'node:crypto';
import { bcrypt, IMPORTED_HASH_VERIFIERS, type HashVerifier } from './imported-hashes';

/**
 * bcrypt only reads the first 72 bytes of its input, so two long passwords sharing a prefix
 * would both verify. Each password is first reduced to HMAC-SHA-256 → base64 (44 bytes, no NUL),
 * keyed with a fixed domain-separation label rather than the server secret, so rotating that
 * secret never locks users out.
 */
const PREHASH_KEY = 'account-router/password-prehash/v1';
const SCHEME = 'bcrypt-hmac-sha256';

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password, 'utf8').digest('base64');
}

const VERIFIERS = new Map<string, HashVerifier>([
  [SCHEME, (password, stored) => bcrypt().compare(prehash(password), stored.slice(SCHEME.length + 1))],
  ...IMPORTED_HASH_VERIFIERS,
]);

export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cost: number) {}

  /** Async bcrypt: the work runs on libuv's thread pool, the event loop stays free. */
  async hash(password: string): Promise<string> {
    return `${SCHEME}$${await bcrypt().hash(prehash(password), this.cost)}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    // The scheme precedes the first `$`; crypt-style strings ($2b$…, $argon2id$…, $P$…) name it between the first two.
    const scheme = /^\$?([^$]+)\$/.exec(stored)?.[1] ?? '';
    const verifier = VERIFIERS.get(scheme);
    const verdict = (async () => {
      try {
        return verifier !== undefined && (await verifier(password, stored));
      } catch {
        // A malformed stored hash (written by the host, possibly by hand) is a failed sign-in, not a 500.
        return false;
      }
    })();
    if (scheme === SCHEME) return verdict;
    // Imported hashes can be far cheaper than ours (md5, sha): a bcrypt check alongside keeps a
    // not-yet-migrated account from answering faster than an unknown email.
    const [valid] = await Promise.all([verdict, this.verifyDummy(password)]);
    return valid;
  }

  /** True when the hash should be replaced by one made with the current scheme and cost. */
  needsRehash(stored: string): boolean {
    if (!stored.startsWith(`${SCHEME}$`)) return true;
    return bcrypt().getRounds(stored.slice(SCHEME.length + 1)) !== this.cost;
  }

  /**
   * Spends the same time as a real check when there is no user or no password, so unknown emails
   * and wrong passwords cannot be told apart by timing.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('account-router dummy password');
    await this.verify(password, await this.dummyHash);
    return false;
  }
}
