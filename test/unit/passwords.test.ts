// PasswordHasher: bcrypt with a pre-hash so bytes past bcrypt's 72-byte limit still count.
import bcrypt from 'bcrypt';
import { PasswordHasher } from '../../lib/core/passwords';

const hasher = new PasswordHasher(4);

it('verifies the right password and refuses a wrong one', async () => {
  const hash = await hasher.hash('correct horse battery staple');
  expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
  expect(await hasher.verify('correct horse battery stapl', hash)).toBe(false);
});

it('refuses a password that differs from the stored one only after byte 72', async () => {
  const prefix = 'p'.repeat(72);
  const hash = await hasher.hash(prefix + 'A');
  expect(await hasher.verify(prefix + 'A', hash)).toBe(true);
  expect(await hasher.verify(prefix + 'B', hash)).toBe(false);
  expect(await hasher.verify(prefix, hash)).toBe(false);
});

it('verifies plain bcrypt hashes imported from another system, and asks for a rehash', async () => {
  const imported = await bcrypt.hash('imported secret', 4);
  expect(await hasher.verify('imported secret', imported)).toBe(true);
  expect(await hasher.verify('other secret', imported)).toBe(false);
  expect(hasher.needsRehash(imported)).toBe(true);
  expect(hasher.needsRehash(await hasher.hash('x'))).toBe(false);
  expect(new PasswordHasher(5).needsRehash(await hasher.hash('x'))).toBe(true);
});

it('refuses unknown hash formats', async () => {
  expect(await hasher.verify('x', 'rot13$k')).toBe(false);
  expect(await hasher.verify('x', 'no scheme at all')).toBe(false);
});

it('verifyDummy always answers false', async () => {
  await expect(hasher.verifyDummy('anything')).resolves.toBe(false);
});

it('spends a bcrypt check on an imported hash too, so cheap imported schemes do not stand out by timing', async () => {
  const compare = jest.spyOn(bcrypt, 'compare');
  try {
    // md5('password'), the well-known digest.
    expect(await hasher.verify('password', 'md5$5f4dcc3b5aa765d61d8327deb882cf99')).toBe(true);
    expect(await hasher.verify('wrong', 'md5$5f4dcc3b5aa765d61d8327deb882cf99')).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
  } finally {
    compare.mockRestore();
  }
});
