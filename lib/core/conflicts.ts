// Adapter uniqueness clashes as Appwrite answers them. Adapters throw only ConflictError
// { entity, field }; which wire error that becomes depends on what was being written, and this is
// the one place that decides it, for every write of users, targets and identities.
import { ConflictError } from '../../adapters/types';
import { AccountError, type ErrorType } from '../errors';

/** What the storage was asked to do when it refused. */
export type Write = 'new user' | 'user change' | 'user change by admin' | 'new target' | 'target change' | 'new identity' | 'new app';

function answer(write: Write, conflict: ConflictError): ErrorType {
  // A new account clashes as a whole, whichever of its id, email, phone or targets was taken.
  if (write === 'new user' || write === 'new identity') return 'user_already_exists';
  if (write === 'new app') return 'app_already_exists';
  if (conflict.entity === 'target') return 'user_target_already_exists';
  if (conflict.entity === 'user' && conflict.field === 'phone') return 'user_phone_already_exists';
  // Deliberately vague, as Appwrite: changing one's email must not confirm that an address is
  // registered. An admin may know it: the Users API names the clash.
  if (conflict.entity === 'user' && conflict.field === 'email') return write === 'user change by admin' ? 'user_email_already_exists' : 'general_bad_request';
  return 'user_already_exists';
}

/** Waits for `action`, answering a ConflictError as Appwrite does for this kind of write. */
export async function answerConflicts<T>(write: Write, action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (error) {
    if (error instanceof ConflictError) throw new AccountError(answer(write, error), undefined, { cause: error });
    throw error;
  }
}
