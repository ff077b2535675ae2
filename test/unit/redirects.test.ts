// isAllowedRedirect: the allow-list check behind every redirect URL parameter.
import { isAllowedRedirect } from '../../lib/core/redirects';

const hosts = ['localhost', 'example.com', '*.apps.example.org'];

it.each([
  'http://localhost/verify',
  'http://localhost:5173/x?y=1',
  'https://example.com/path',
  'http://127.0.0.1:3000/',
  'http://[::1]/',
  'https://a.apps.example.org/',
  'https://deep.a.apps.example.org/',
])('accepts %s', (url) => {
  expect(isAllowedRedirect(url, hosts)).toBe(true);
});

it.each([
  'https://evil.example',
  '//evil.example',
  'javascript:alert(1)',
  'http://localhost.evil.example/',
  'http://localhost@evil.example/',
  'http://example.com@evil.example/',
  'http://user:pass@example.com/',
  'localhost/verification',
  'http://remotehost/',
  'ftp://example.com/',
  'https://apps.example.org/',
  'http://127.0.0.1.example.com/',
  'http://evil.example\\@example.com/',
  '',
])('refuses %s', (url) => {
  expect(isAllowedRedirect(url, hosts)).toBe(false);
});
