// IP address → ISO 3166 alpha-2 country, from the range tables shipped in the
// `@ip-location-db/geo-whois-asn-country` npm package (GeoFeed + RIR whois + ASN data; the
// data is CC BY 4.0 by the NRO, https://www.nro.net — attribution is owed wherever it is shown).
//
// The package ships CSVs of inclusive ranges. They are read once, on the first lookup of each
// address family, and folded into sorted start keys plus a country index per segment, so a
// lookup is one binary search over typed arrays (a few MiB in all, no per-row JS objects).

import { closeSync, openSync, readSync } from 'node:fs';

const DATA_PACKAGE = '@ip-location-db/geo-whois-asn-country';
const IPV4_FILE = 'geo-whois-asn-country-ipv4-num.csv';
const IPV6_FILE = 'geo-whois-asn-country-ipv6.csv';

/** What the lookup answers for anything it cannot place in a country. */
const NO_COUNTRY = '--';

/** Sorted segment starts (1 or 4 uint32 words per key, most significant first) and their country. */
interface RangeTable {
  keys: Uint32Array;
  codes: Uint16Array;
  count: number;
}

// Index 0 is "no country": gaps between ranges fold to it. Both tables share the list.
const countryNames: string[] = [NO_COUNTRY];
const countryIndex = new Map<number, number>();

function countryAt(byteA: number, byteB: number): number {
  const key = (byteA << 8) | byteB;
  let index = countryIndex.get(key);
  if (index === undefined) {
    index = countryNames.length;
    countryNames.push(String.fromCharCode(byteA, byteB).toLowerCase());
    countryIndex.set(key, index);
  }
  return index;
}

/**
 * Folds sorted, possibly overlapping inclusive ranges into disjoint segments. The published
 * tables are not disjoint: a geofeed or whois sub-allocation is listed after the block that
 * contains it (and a few rows straddle their neighbour), so a later row overrides earlier ones
 * for the addresses it covers and the earlier row resumes after it ends.
 *
 * Without a capacity it only counts segments; the table is then built in a second pass into
 * arrays of exactly that size. Oversized arrays trimmed afterwards would stay resident: freed
 * blocks of a few MiB are kept by malloc rather than returned to the OS.
 */
class SegmentBuilder {
  readonly keys: Uint32Array | null;
  readonly codes: Uint16Array | null;
  count = 0;
  // The newest segment is held back until the next key, since a range starting at the same
  // address may still replace its code (or make it repeat the segment before and vanish).
  private readonly pendingKey: Uint32Array;
  private pendingCode = -1;
  private writtenCode = 0;
  private readonly lastStart: Uint32Array;
  // Open ranges, innermost last; their ends strictly decrease from bottom to top. Nesting is a
  // handful deep, so the stack rarely grows.
  private openEnds: Uint32Array;
  private openCodes: Uint16Array;
  private open = 0;
  private readonly scratch: Uint32Array;

  constructor(private readonly words: number, capacity?: number) {
    this.keys = capacity === undefined ? null : new Uint32Array(capacity * words);
    this.codes = capacity === undefined ? null : new Uint16Array(capacity);
    this.pendingKey = new Uint32Array(words);
    this.lastStart = new Uint32Array(words);
    this.scratch = new Uint32Array(words);
    this.openEnds = new Uint32Array(16 * words);
    this.openCodes = new Uint16Array(16);
  }

  add(start: Uint32Array, end: Uint32Array, code: number): void {
    const w = this.words;
    if (compareTo(start, 0, this.lastStart, 0, w) < 0) return; // out of order: cannot be placed
    this.lastStart.set(start);
    this.closeBefore(start);
    while (this.open > 0 && compareTo(this.openEnds, (this.open - 1) * w, end, 0, w) <= 0) this.open--;
    this.emit(start, code);
    if (this.open === this.openCodes.length) {
      const ends = new Uint32Array(this.openEnds.length * 2);
      ends.set(this.openEnds);
      this.openEnds = ends;
      const codes = new Uint16Array(this.openCodes.length * 2);
      codes.set(this.openCodes);
      this.openCodes = codes;
    }
    this.openEnds.set(end, this.open * w);
    this.openCodes[this.open++] = code;
  }

  finish(): RangeTable {
    this.closeBefore(null);
    this.flush();
    if (!this.keys || !this.codes) throw new Error('SegmentBuilder: counting pass has no table');
    return { keys: this.keys, codes: this.codes, count: this.count };
  }

  /** Number of segments the table needs, after all rows have been added. */
  countAll(): number {
    this.closeBefore(null);
    this.flush();
    return this.count;
  }

  /** Closes every open range that ends before `start` (all of them when `start` is null). */
  private closeBefore(start: Uint32Array | null): void {
    const w = this.words;
    while (this.open > 0) {
      const top = (this.open - 1) * w;
      if (start !== null && compareTo(this.openEnds, top, start, 0, w) >= 0) return;
      this.open--;
      const resumeAt = this.scratch;
      for (let i = 0; i < w; i++) resumeAt[i] = this.openEnds[top + i];
      if (!increment(resumeAt)) continue; // the range ran to the top of the address space
      this.emit(resumeAt, this.open > 0 ? this.openCodes[this.open - 1] : 0);
    }
  }

  private emit(key: Uint32Array, code: number): void {
    if (this.pendingCode >= 0 && compareTo(key, 0, this.pendingKey, 0, this.words) === 0) {
      this.pendingCode = code === this.writtenCode ? -1 : code;
      return;
    }
    this.flush();
    if (code === this.writtenCode) return;
    this.pendingKey.set(key);
    this.pendingCode = code;
  }

  private flush(): void {
    if (this.pendingCode < 0) return;
    if (this.keys && this.codes) {
      this.keys.set(this.pendingKey, this.count * this.words);
      this.codes[this.count] = this.pendingCode;
    }
    this.count++;
    this.writtenCode = this.pendingCode;
    this.pendingCode = -1;
  }
}

function compareTo(a: Uint32Array, ai: number, b: Uint32Array, bi: number, words: number): number {
  for (let i = 0; i < words; i++) {
    const d = a[ai + i] - b[bi + i];
    if (d !== 0) return d;
  }
  return 0;
}

/** Adds one in place; false when the value wrapped past the largest address. */
function increment(value: Uint32Array): boolean {
  for (let i = value.length - 1; i >= 0; i--) {
    if (value[i] !== 0xffffffff) {
      value[i]++;
      return true;
    }
    value[i] = 0;
  }
  return false;
}

/**
 * Calls `onLine` for every line of a file, reading it in small chunks: the CSVs are 8–13 MiB,
 * and a buffer that size, once freed, would linger in the process's resident memory.
 */
function forEachLine(path: string, onLine: (buf: Buffer, start: number, end: number) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    let filled = 0;
    for (;;) {
      const read = readSync(fd, buf, filled, buf.length - filled, null);
      const limit = filled + read;
      let lineStart = 0;
      for (;;) {
        const nl = buf.indexOf(10, lineStart);
        if (nl < 0 || nl >= limit) break;
        if (nl > lineStart) onLine(buf, lineStart, nl);
        lineStart = nl + 1;
      }
      if (read === 0) {
        if (lineStart < limit) onLine(buf, lineStart, limit);
        return;
      }
      if (lineStart === 0 && limit === buf.length) throw new Error(`${path}: line longer than ${buf.length} bytes`);
      buf.copy(buf, 0, lineStart, limit);
      filled = limit - lineStart;
    }
  } finally {
    closeSync(fd);
  }
}

function dataFile(name: string): string {
  return require.resolve(`${DATA_PACKAGE}/${name}`);
}

function isUpperLetter(c: number): boolean {
  return c >= 65 && c <= 90;
}

type RowReader = (buf: Buffer, from: number, to: number, builder: SegmentBuilder) => void;

function buildTable(file: string, words: number, readRow: RowReader): RangeTable {
  const path = dataFile(file);
  const counter = new SegmentBuilder(words);
  forEachLine(path, (buf, from, to) => readRow(buf, from, to, counter));
  const builder = new SegmentBuilder(words, counter.countAll());
  forEachLine(path, (buf, from, to) => readRow(buf, from, to, builder));
  return builder.finish();
}

const rowStart = new Uint32Array(4);
const rowEnd = new Uint32Array(4);
const rowStart4 = rowStart.subarray(0, 1);
const rowEnd4 = rowEnd.subarray(0, 1);

/** Reads `startNumber,endNumber,CC`. */
function readIPv4Row(buf: Buffer, from: number, to: number, builder: SegmentBuilder): void {
  let i = from;
  let s = 0;
  while (i < to && buf[i] !== 44) s = s * 10 + (buf[i++] - 48);
  i++;
  let e = 0;
  while (i < to && buf[i] !== 44) e = e * 10 + (buf[i++] - 48);
  i++;
  if (i + 2 > to || !isUpperLetter(buf[i]) || !isUpperLetter(buf[i + 1])) return;
  rowStart4[0] = s;
  rowEnd4[0] = e;
  builder.add(rowStart4, rowEnd4, countryAt(buf[i], buf[i + 1]));
}

/** Reads `startAddress,endAddress,CC`; the numeric variant would need 128-bit decimal parsing. */
function readIPv6Row(buf: Buffer, from: number, to: number, builder: SegmentBuilder): void {
  const c1 = buf.indexOf(44, from);
  const c2 = c1 < 0 ? -1 : buf.indexOf(44, c1 + 1);
  if (c2 < 0 || c2 + 3 > to) return;
  if (!parseIPv6(buf, from, c1, rowStart) || !parseIPv6(buf, c1 + 1, c2, rowEnd)) return;
  if (!isUpperLetter(buf[c2 + 1]) || !isUpperLetter(buf[c2 + 2])) return;
  builder.add(rowStart, rowEnd, countryAt(buf[c2 + 1], buf[c2 + 2]));
}

let ipv4Table: RangeTable | undefined;
let ipv6Table: RangeTable | undefined;

function lookupIPv4(value: number): string {
  if (isSpecialIPv4(value)) return NO_COUNTRY;
  const table = (ipv4Table ??= buildTable(IPV4_FILE, 1, readIPv4Row));
  const keys = table.keys;
  // Last segment whose start is <= value.
  let lo = 0;
  let hi = table.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? NO_COUNTRY : countryNames[table.codes[found]];
}

function lookupIPv6(address: Uint32Array): string {
  const table = (ipv6Table ??= buildTable(IPV6_FILE, 4, readIPv6Row));
  const keys = table.keys;
  let lo = 0;
  let hi = table.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTo(keys, mid * 4, address, 0, 4) <= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? NO_COUNTRY : countryNames[table.codes[found]];
}

// Special-purpose IPv4 blocks (RFC 6890 and successors) that never locate a client. Checked
// before the table because the published data mislabels some of them (192.168/16 and
// 203.0.113/24 come back as AU from APNIC whois objects).
const SPECIAL_IPV4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2/24 TEST-NET-1
  [0xc0586300, 24], // 192.88.99/24 deprecated 6to4 relay anycast
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113/24 TEST-NET-3
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, including broadcast
];

function isSpecialIPv4(value: number): boolean {
  for (const [base, bits] of SPECIAL_IPV4) {
    if ((value >>> (32 - bits)) === (base >>> (32 - bits))) return true;
  }
  return false;
}

/** Parses a dotted quad; -1 when it is not one. Leading zeros are refused (octal in some stacks). */
function parseIPv4(text: Uint8Array, from: number, to: number): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (parts < 4) {
    const partStart = i;
    let part = 0;
    while (i < to && text[i] >= 48 && text[i] <= 57 && i - partStart < 3) part = part * 10 + (text[i++] - 48);
    const digits = i - partStart;
    if (digits === 0 || part > 255 || (digits > 1 && text[partStart] === 48)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= to || text[i] !== 46) return -1;
      i++;
    }
  }
  return i === to ? value : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Scratch space for parseIPv6: loading parses ~430k addresses and should not allocate per call.
const groups = new Uint32Array(8);
const expanded = new Uint32Array(8);

/**
 * Parses an IPv6 address (RFC 4291 text forms, `::` compression and a trailing dotted quad)
 * into four big-endian uint32 words. False when the text is not an address.
 */
function parseIPv6(text: Uint8Array, from: number, to: number, out: Uint32Array): boolean {
  let count = 0;
  let gap = -1;
  let i = from;
  if (to - from >= 2 && text[i] === 58 && text[i + 1] === 58) {
    gap = 0;
    i += 2;
  } else if (i < to && text[i] === 58) {
    return false;
  }
  while (i < to) {
    if (count === 8) return false;
    const groupStart = i;
    let group = 0;
    while (i < to && i - groupStart < 4) {
      const h = hexValue(text[i]);
      if (h < 0) break;
      group = group * 16 + h;
      i++;
    }
    if (i < to && text[i] === 46) {
      // Embedded IPv4 takes the last two groups.
      if (count > 6) return false;
      const v4 = parseIPv4(text, groupStart, to);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = to;
      break;
    }
    if (i === groupStart) return false;
    groups[count++] = group;
    if (i === to) break;
    if (text[i] !== 58) return false;
    i++;
    if (i < to && text[i] === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === to) {
      return false; // a single trailing colon
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  expanded.fill(0);
  const tail = gap < 0 ? 0 : count - gap;
  for (let g = 0; g < count - tail; g++) expanded[g] = groups[g];
  for (let g = 0; g < tail; g++) expanded[8 - tail + g] = groups[count - tail + g];
  for (let w = 0; w < 4; w++) out[w] = ((expanded[2 * w] << 16) | expanded[2 * w + 1]) >>> 0;
  return true;
}

const parsed6 = new Uint32Array(4);

function countryOfIPv6(address: Uint32Array): string {
  const [w0, w1, w2, w3] = address;
  // IPv4-mapped ::ffff:a.b.c.d (what Node reports for IPv4 clients on a dual-stack socket)
  // and the NAT64 well-known prefix 64:ff9b::/96 both carry the client's IPv4 address.
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return lookupIPv4(w3);
  if (w0 === 0x0064ff9b && w1 === 0 && w2 === 0) return lookupIPv4(w3);
  // 6to4 (2002::/16) embeds the site's public IPv4 address in bits 16–47.
  if (w0 >>> 16 === 0x2002) return lookupIPv4((((w0 & 0xffff) << 16) | (w1 >>> 16)) >>> 0);
  // Only global unicast (2000::/3) is ever allocated to a country; in it, 2001::/23 holds
  // protocol assignments (Teredo and friends), 2001:db8::/32 and 3fff::/20 are documentation.
  if (w0 >>> 29 !== 1) return NO_COUNTRY;
  if (w0 >>> 9 === 0x20010000 >>> 9) return NO_COUNTRY;
  if (w0 === 0x20010db8) return NO_COUNTRY;
  if (w0 >>> 12 === 0x3fff0000 >>> 12) return NO_COUNTRY;
  return lookupIPv6(address);
}

/**
 * Lower-case ISO 3166-1 alpha-2 code of the country an IPv4 or IPv6 address is registered or
 * geolocated to, or `--` for private, loopback, link-local, documentation and other
 * special-purpose addresses, addresses the data does not place, and anything that is not an
 * address. A zone index (`fe80::1%eth0`) is ignored. The first IPv4 and the first IPv6 lookup
 * each load their table (0.1–0.2 s, ~2 and ~5 MiB); later lookups take about a microsecond.
 */
export function countryOfAddress(ip: string): string {
  if (typeof ip !== 'string' || ip.length === 0 || ip.length > 64) return NO_COUNTRY;
  const zone = ip.indexOf('%');
  const text = Buffer.from(zone >= 0 ? ip.slice(0, zone) : ip, 'latin1');
  if (text.indexOf(58) < 0) {
    const v4 = parseIPv4(text, 0, text.length);
    return v4 < 0 ? NO_COUNTRY : lookupIPv4(v4);
  }
  return parseIPv6(text, 0, text.length, parsed6) ? countryOfIPv6(parsed6) : NO_COUNTRY;
}
