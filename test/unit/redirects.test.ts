// isAllowedRedirect: the allow-list check behind every redirect URL parameter.
import { isAllowedRedirect } from '../../lib/core/redirects';
import { ALLOWED_HOSTS, ALLOWED_REDIRECTS, REDIRECT_ATTACKS } from '../helpers/redirect-attacks';

it.each(ALLOWED_REDIRECTS)('accepts %s', (url) => {
  expect(isAllowedRedirect(url, ALLOWED_HOSTS)).toBe(true);
});

it.each(REDIRECT_ATTACKS)('refuses %s', (url) => {
  expect(isAllowedRedirect(url, ALLOWED_HOSTS)).toBe(false);
});
