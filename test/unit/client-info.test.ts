import { ClientInfo, countryCode, countryName, describeClient } from '../../lib/core/client-info';

const BLANK: ClientInfo = {
  osCode: '',
  osName: '',
  osVersion: '',
  clientType: '',
  clientCode: '',
  clientName: '',
  clientVersion: '',
  clientEngine: '',
  clientEngineVersion: '',
  deviceName: '',
  deviceBrand: '',
  deviceModel: '',
};

describe('describeClient', () => {
  // Expected values are what Matomo DeviceDetector 6.x (Appwrite's parser) reports, with its
  // default major.minor truncation of client and OS versions.
  const cases: Array<[string, string, Partial<ClientInfo>]> = [
    [
      'Chrome on Windows 10',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36',
      {
        osCode: 'WIN', osName: 'Windows', osVersion: '10',
        clientType: 'browser', clientCode: 'CH', clientName: 'Chrome', clientVersion: '70.0',
        // Matomo takes the Blink version from the Chrome token and does not truncate it.
        clientEngine: 'Blink', clientEngineVersion: '70.0.3538.77',
        deviceName: 'desktop',
      },
    ],
    [
      'Firefox on Windows 7 (Appwrite\'s own fixture)',
      'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0',
      {
        osCode: 'WIN', osName: 'Windows', osVersion: '7',
        clientType: 'browser', clientCode: 'FF', clientName: 'Firefox', clientVersion: '47.0',
        clientEngine: 'Gecko', clientEngineVersion: '47.0',
        deviceName: 'desktop',
      },
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      {
        osCode: 'IOS', osName: 'iOS', osVersion: '17.4',
        clientType: 'browser', clientCode: 'MF', clientName: 'Mobile Safari', clientVersion: '17.4',
        clientEngine: 'WebKit', clientEngineVersion: '605.1.15',
        deviceName: 'smartphone', deviceBrand: 'Apple', deviceModel: 'iPhone',
      },
    ],
    [
      'Firefox on Linux',
      'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
      {
        osCode: 'LIN', osName: 'GNU/Linux', osVersion: '',
        clientType: 'browser', clientCode: 'FF', clientName: 'Firefox', clientVersion: '125.0',
        clientEngine: 'Gecko', clientEngineVersion: '125.0',
        deviceName: 'desktop',
      },
    ],
    [
      'Chrome on a Samsung Galaxy S23 Ultra',
      'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
      {
        osCode: 'AND', osName: 'Android', osVersion: '13',
        clientType: 'browser', clientCode: 'CM', clientName: 'Chrome Mobile', clientVersion: '124.0',
        clientEngine: 'Blink', clientEngineVersion: '124.0.6367.82',
        deviceName: 'smartphone', deviceBrand: 'Samsung', deviceModel: 'Galaxy S23 Ultra',
      },
    ],
    ['curl', 'curl/8.5.0', { clientType: 'library', clientName: 'curl', clientVersion: '8.5' }],
    [
      'node-fetch',
      'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
      { clientType: 'library', clientName: 'Node Fetch', clientVersion: '1.0' },
    ],
    // Node's built-in fetch (undici) sends just "node", which Matomo does not recognise.
    ['Node fetch (undici)', 'node', {}],
    [
      'Appwrite CLI (named by hand, as Appwrite does)',
      'AppwriteCLI/2.0.0 (linux; x64) node/18.0.0',
      {
        osCode: 'LIN', osName: 'GNU/Linux',
        clientType: 'desktop', clientCode: 'cli', clientName: 'Appwrite CLI', clientVersion: '2.0.0',
        deviceName: 'desktop',
      },
    ],
    ['empty', '', {}],
    ['UNKNOWN', 'UNKNOWN', {}],
  ];

  it.each(cases)('%s', (_label, userAgent, fields) => {
    expect(describeClient(userAgent)).toEqual({ ...BLANK, ...fields });
  });

  it('returns the memoised object for a repeated user agent', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0';
    const first = describeClient(ua);
    expect(describeClient(ua)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('describeClient memo', () => {
  // A stand-in parser makes a thousand distinct agents cheap and lets us count parses and builds.
  function loadWithFakeParser(): { describe: typeof describeClient; parses: string[]; builds: () => number } {
    const parses: string[] = [];
    let built = 0;
    let describe!: typeof describeClient;
    jest.isolateModules(() => {
      jest.doMock('node-device-detector', () =>
        class {
          constructor() {
            built++;
          }
          detect(ua: string) {
            parses.push(ua);
            return { os: {}, client: { type: 'library', name: ua, version: '1.0' }, device: {} };
          }
        });
      describe = (require('../../lib/core/client-info') as typeof import('../../lib/core/client-info')).describeClient;
    });
    return { describe, parses, builds: () => built };
  }

  // The parser is required lazily, after isolateModules returns, so it lands in the shared
  // registry; clear that between tests so each gets its own stand-in.
  beforeEach(() => jest.resetModules());
  afterEach(() => jest.dontMock('node-device-detector'));

  it('does not build the parser until the first agent is described', () => {
    const { describe, parses } = loadWithFakeParser();
    expect(parses).toHaveLength(0);
    expect(describe('agent-0').clientName).toBe('agent-0');
    expect(parses).toEqual(['agent-0']);
  });

  it('keeps the 1,000 most recently used agents', () => {
    const { describe, parses } = loadWithFakeParser();
    const kept = describe('agent-0');
    for (let i = 1; i < 1000; i++) describe(`agent-${i}`);
    expect(describe('agent-0')).toBe(kept); // a hit, and now the most recent
    describe('agent-1000'); // evicts the least recent: agent-1
    expect(parses).toHaveLength(1001);
    expect(describe('agent-0')).toBe(kept);
    expect(parses).toHaveLength(1001);
    describe('agent-1');
    expect(parses).toHaveLength(1002);
  });

  it('lets the parser go after a minute unused, keeping the results it gave', () => {
    jest.useFakeTimers();
    try {
      const { describe, builds } = loadWithFakeParser();
      describe('agent-0');
      jest.advanceTimersByTime(59_000);
      describe('agent-1'); // in use again: the minute starts over
      jest.advanceTimersByTime(59_000);
      describe('agent-2');
      expect(builds()).toBe(1);
      jest.advanceTimersByTime(60_000);
      expect(describe('agent-0').clientName).toBe('agent-0'); // remembered, no parser needed
      expect(builds()).toBe(1);
      describe('agent-3');
      expect(builds()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('countryCode', () => {
  // Allocations checked in the bundled data: Google (US), heise (DE, RIPE), SoftBank (JP,
  // 126/8), Deutsche Telekom's IPv6 block 2003::/19 (DE).
  it.each([
    ['8.8.8.8', 'us'],
    ['193.99.144.80', 'de'],
    ['126.0.0.1', 'jp'],
    ['2001:4860:4860::8888', 'us'],
    ['2001:4860:4860:0:0:0:0:8888', 'us'],
    ['2003::1', 'de'],
    // IPv4 clients on a dual-stack socket, as Node reports them
    ['::ffff:8.8.8.8', 'us'],
    ['::FFFF:126.0.0.1', 'jp'],
  ])('%s → %s', (ip, code) => {
    expect(countryCode(ip)).toBe(code);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.5.4',
    '192.168.1.1', // the data itself says AU here
    '100.64.0.1',
    '169.254.10.20',
    '203.0.113.5',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1%eth0',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:192.168.0.1',
    '2001:db8::1',
  ])('%s (not public) → --', (ip) => {
    expect(countryCode(ip)).toBe('--');
  });

  it.each(['', 'garbage', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ', ':::', '1::2::3', '2001:4860::8888:', '12345::1', 'g::1'])(
    '%j (not an address) → --',
    (ip) => {
      expect(countryCode(ip)).toBe('--');
    },
  );

  it('names the countries it finds', () => {
    expect(countryName(countryCode('8.8.8.8'))).toBe('United States');
    expect(countryName(countryCode('2003::1'))).toBe('Germany');
    expect(countryName(countryCode('10.0.0.1'))).toBe('Unknown');
  });
});

describe('countryName', () => {
  it('uses English names and Unknown for --', () => {
    expect(countryName('jp')).toBe('Japan');
    expect(countryName('--')).toBe('Unknown');
    expect(countryName('qq')).toBe('Unknown');
  });

  it('names countries in the locale asked for, from CLDR', () => {
    expect(countryName('jp', 'ja')).toBe('日本');
    expect(countryName('us', 'ja')).toBe('アメリカ合衆国');
    expect(countryName('de', 'fr')).toBe('Allemagne');
    expect(countryName('de', 'zh-tw')).toBe('德國');
    expect(countryName('de', 'zh-CN')).toBe('德国');
    expect(countryName('eg', 'ar')).toBe('مصر');
    expect(countryName('gb', 'en-GB')).toBe('United Kingdom');
  });

  it('says Unknown in English and CLDR\'s unknown region, capitalised, in other languages', () => {
    expect(countryName('--', 'en-US')).toBe('Unknown');
    expect(countryName('--', 'fr')).toBe('Région inconnue');
    expect(countryName('qq', 'ru')).toBe('Неизвестный регион');
    expect(countryName('--', 'ja')).toBe('不明な地域');
  });

  it('falls back to English for a locale the runtime does not know or a non-tag', () => {
    expect(countryName('jp', 'xx')).toBe('Japan');
    expect(countryName('jp', '../../etc')).toBe('Japan');
    expect(countryName('--', 'xx')).toBe('Unknown');
  });
});
