// What sessions and logs say about the client: device fields from the user agent, a country for
// an IP address, and a country name for a country code.
//
// User agents are read with node-device-detector, a port of Matomo DeviceDetector (what Appwrite
// uses), so codes and names match Appwrite's: `WIN`, `CH`/`Chrome`, `Blink`, brand `Apple`.

import type DeviceDetector from 'node-device-detector';
import type { ResultClient, ResultDevice, ResultOs } from 'node-device-detector';
import { countryOfAddress } from './client-info-country';

/** Device fields Appwrite derives from a user agent, each `''` when unknown. */
export interface ClientInfo {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

const UNKNOWN_CLIENT: ClientInfo = Object.freeze({
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
});

// Matomo keeps major.minor of client and OS versions by default (Chrome/70.0.3538.77 → 70.0);
// engine versions are left whole.
const VERSION_PARTS_KEPT = 1;
// Longer strings are cut before parsing: real agents fit, and regex cost grows with length.
const MAX_USER_AGENT_LENGTH = 500;
const MEMO_LIMIT = 1000;

// Unused this long, the parser is let go (the memo of results stays). Its compiled regexes are
// most of a router's heap once agents have been seen, and sign-ins come in bursts: measured here,
// dropping it after three agents returned 28 of the 39 MiB they had added to RSS.
const DETECTOR_IDLE_MS = 60_000;

let detector: DeviceDetector | undefined;
let releaseTimer: NodeJS.Timeout | undefined;

// Built on first use: the regex database costs ~0.15 s and ~25 MiB to load, and its compiled
// regexes grow to ~100 MiB as varied agents are seen; a process that never lists sessions or
// logs should pay none of it.
function getDetector(): DeviceDetector {
  if (releaseTimer) releaseTimer.refresh();
  else releaseTimer = setTimeout(releaseDetector, DETECTOR_IDLE_MS).unref();
  if (!detector) {
    const DeviceDetectorClass = require('node-device-detector') as typeof DeviceDetector;
    detector = new DeviceDetectorClass({
      skipBotDetection: true,
      clientVersionTruncate: VERSION_PARTS_KEPT,
      osVersionTruncate: VERSION_PARTS_KEPT,
      maxUserAgentSize: MAX_USER_AGENT_LENGTH,
      clientIndexes: true,
      deviceIndexes: true,
      osIndexes: true,
      deviceAliasCode: false,
      deviceTrusted: false,
      deviceInfo: false,
    });
  }
  return detector;
}

function releaseDetector(): void {
  detector = undefined;
  releaseTimer = undefined;
}

// Most recently used last; a hit is moved to the end, the first key is the one to evict.
const memo = new Map<string, ClientInfo>();

function parseUserAgent(userAgent: string): ClientInfo {
  let result: ReturnType<DeviceDetector['detect']>;
  try {
    result = getDetector().detect(userAgent);
  } catch {
    // A parser fault must not break listing sessions or logs.
    return UNKNOWN_CLIENT;
  }
  // Unrecognised parts come back as `{}` despite the declared types.
  const os: Partial<ResultOs> = result.os ?? {};
  const device: Partial<ResultDevice> = result.device ?? {};
  let client: Partial<ResultClient> = result.client ?? {};
  // Appwrite's own CLI is unknown to Matomo, so Appwrite names it by hand; so do we.
  if (userAgent.includes('AppwriteCLI')) {
    const version = userAgent.split(' ')[0].split('/')[1] ?? '';
    client = { type: 'desktop', short_name: 'cli', name: 'Appwrite CLI', version };
  }
  const info: ClientInfo = {
    osCode: os.short_name ?? '',
    osName: os.name ?? '',
    osVersion: os.version ?? '',
    clientType: client.type ?? '',
    clientCode: client.short_name ?? '',
    clientName: client.name ?? '',
    clientVersion: client.version ?? '',
    clientEngine: client.engine ?? '',
    clientEngineVersion: client.engine_version ?? '',
    deviceName: device.type ?? '',
    deviceBrand: device.brand ?? '',
    deviceModel: device.model ?? '',
  };
  return Object.values(info).every((v) => v === '') ? UNKNOWN_CLIENT : Object.freeze(info);
}

/**
 * Device fields for a user agent, with Matomo DeviceDetector semantics as in Appwrite (bot
 * detection skipped, client and OS versions cut to major.minor, brand names such as `Apple`).
 * An empty, `UNKNOWN` or unrecognised agent gives every field `''`.
 *
 * Parsing can take milliseconds, so results for the last 1,000 distinct agents are kept; the
 * returned object is frozen and shared between callers.
 */
export function describeClient(userAgent: string): ClientInfo {
  if (typeof userAgent !== 'string') return UNKNOWN_CLIENT;
  const ua = userAgent.slice(0, MAX_USER_AGENT_LENGTH);
  if (ua.trim() === '' || ua === 'UNKNOWN') return UNKNOWN_CLIENT;
  const hit = memo.get(ua);
  if (hit) {
    memo.delete(ua);
    memo.set(ua, hit);
    return hit;
  }
  const info = parseUserAgent(ua);
  memo.set(ua, info);
  if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  return info;
}

/**
 * Lower-case ISO 3166-1 alpha-2 country for an IPv4 or IPv6 address (`us` for 8.8.8.8;
 * IPv4-mapped IPv6 such as `::ffff:8.8.8.8` counts as IPv4), or `--` for private, loopback and
 * other special-purpose addresses, addresses the bundled data cannot place, and non-addresses.
 *
 * The data ships inside the `@ip-location-db/geo-whois-asn-country` package (CC BY 4.0, NRO);
 * nothing is downloaded. Each address family's table is loaded on its first lookup.
 */
export function countryCode(ip: string): string {
  return countryOfAddress(ip);
}

// Display-name tables by requested locale, built on first use. Few locales are ever asked for;
// the cap keeps a stream of odd tags from growing the map.
const REGION_NAMES_LIMIT = 64;
const regionNamesByLocale = new Map<string, { names: Intl.DisplayNames; language: string }>();

function regionNames(locale: string): { names: Intl.DisplayNames; language: string } {
  const key = locale.toLowerCase();
  let entry = regionNamesByLocale.get(key);
  if (!entry) {
    let names: Intl.DisplayNames;
    try {
      // English after the tag: an unsupported tag resolves to it, not to the machine's locale.
      names = new Intl.DisplayNames([locale, 'en'], { type: 'region' });
    } catch {
      // Not a language tag at all.
      names = new Intl.DisplayNames(['en'], { type: 'region' });
    }
    entry = { names, language: names.resolvedOptions().locale.split('-')[0]! };
    if (regionNamesByLocale.size >= REGION_NAMES_LIMIT) regionNamesByLocale.delete(regionNamesByLocale.keys().next().value as string);
    regionNamesByLocale.set(key, entry);
  }
  return entry;
}

/**
 * Country name for a lower-case alpha-2 code in `locale` (`jp` → `Japan`, `日本` in `ja`), from
 * CLDR through Intl.DisplayNames, as Appwrite localises `countryName` by `X-Appwrite-Locale`.
 * `--` and unrecognised codes give `Unknown` in English, as Appwrite's, and CLDR's name for the
 * unknown region in other languages (`Région inconnue`), capitalised like a name. A locale the
 * runtime does not know gives English.
 */
export function countryName(code: string, locale = 'en'): string {
  const { names, language } = regionNames(locale);
  const upper = /^[a-z]{2}$/.test(code) ? code.toUpperCase() : '';
  const name = upper ? names.of(upper) : undefined;
  if (name && name !== upper) return name;
  if (language === 'en') return 'Unknown';
  const unknown = names.of('ZZ') ?? 'Unknown';
  return unknown.charAt(0).toLocaleUpperCase(language) + unknown.slice(1);
}
