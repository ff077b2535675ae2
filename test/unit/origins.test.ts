// isAllowedOrigin: which Origin (or Referer) values CORS answers and the Origin check passes.
import { isAllowedOrigin } from '../../lib/core/origins';
import { resolveOptions } from '../../lib/options';

const config = resolveOptions({
  allowedHosts: ['localhost', 'app.example.com', '*.preview.example.org'],
  platforms: ['com.example.App', 'chrome-extension://abcdefghij', 'appwrite-ios://com.ios.only'],
});

it.each([
  'http://localhost:5173',
  'http://127.0.0.1:3000',
  'http://[::1]:8080',
  'https://app.example.com',
  'HTTPS://APP.EXAMPLE.COM',
  'https://pr-12.preview.example.org',
  'https://app.example.com/some/page?x=1',
  'appwrite-ios://com.example.app',
  'appwrite-android://com.example.app',
  'appwrite-macos://com.example.app',
  'appwrite-windows://com.example.app',
  'appwrite-linux://com.example.app',
  'appwrite-visionos://com.example.app',
  'chrome-extension://abcdefghij',
  'appwrite-ios://com.ios.only',
])('accepts %s', (origin) => {
  expect(isAllowedOrigin(origin, config)).toBe(true);
});

it.each([
  'https://evil.example',
  'null',
  '',
  'http://localhost.evil.example',
  'http://app.example.com.evil.example',
  'http://127.0.0.2',
  'https://preview.example.org',
  'http://user@app.example.com',
  'appwrite-ios://com.other.app',
  'appwrite-ios://',
  'appwrite-callback-default://com.example.app',
  'myapp://com.example.app',
  'chrome-extension://zzzz',
  'appwrite-android://com.ios.only',
  'file:///etc/passwd',
  'javascript:alert(1)',
])('refuses %s', (origin) => {
  expect(isAllowedOrigin(origin, config)).toBe(false);
});

it('never lets a bare `*` admit an origin', () => {
  expect(isAllowedOrigin('https://evil.example', resolveOptions({ allowedHosts: ['*'] }))).toBe(false);
});
