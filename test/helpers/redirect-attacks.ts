// Redirect URLs to try against the allow-list: shared by the unit test of isAllowedRedirect and the
// security suite, which sends them through every route that takes a redirect URL.

/** The allow-list both suites configure. */
export const ALLOWED_HOSTS = ['localhost', 'example.com', '*.apps.example.org'];

/** URLs that `ALLOWED_HOSTS` admits. */
export const ALLOWED_REDIRECTS = [
  'http://localhost/verify',
  'http://localhost:5173/x?y=1',
  'https://example.com/path',
  'http://127.0.0.1:3000/',
  'http://[::1]/',
  'https://a.apps.example.org/',
  'https://deep.a.apps.example.org/',
];

/** URLs that `ALLOWED_HOSTS` must refuse, each a known trick. */
export const REDIRECT_ATTACKS = [
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
];
