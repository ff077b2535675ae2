// The small helpers every authenticated read runs, rewritten for speed (issue 19): each must
// answer exactly as the general code it replaced (toISOString, a full Cookie-header parse).
import { isoDate } from '../../lib/models';
import { readCookie } from '../../lib/http';

describe('isoDate', () => {
  it('matches toISOString with +00:00 for dates across four-digit years', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const date = new Date(-30_000_000_000_000 + Math.floor(random() * 250_000_000_000_000));
      expect(isoDate(date)).toBe(date.toISOString().slice(0, -1) + '+00:00');
    }
  });

  it('pads every field and keeps the extended form outside 1000–9999', () => {
    expect(isoDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02T03:04:05.006+00:00');
    expect(isoDate(new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))).toBe('1999-12-31T23:59:59.999+00:00');
    expect(isoDate(new Date(Date.UTC(10000, 0, 1)))).toBe('+010000-01-01T00:00:00.000+00:00');
    expect(isoDate(new Date(Date.UTC(-1, 0, 1)))).toBe('-000001-01-01T00:00:00.000+00:00');
    expect(isoDate(null)).toBe('');
  });
});

describe('readCookie', () => {
  it.each<[string | undefined, string, string | undefined]>([
    [undefined, 'a', undefined],
    ['', 'a', undefined],
    ['a=1', 'a', '1'],
    ['b=2; a=1', 'a', '1'],
    ['a=1; a=2', 'a', '1'],
    ['  a = 1 ;b=2', 'a', '1'],
    ['a_legacy=1', 'a', undefined],
    ['xa=1; a=2', 'a', '2'],
    ['flag; a=1', 'a', '1'],
    ['a="quoted"', 'a', 'quoted'],
    ['a=%7B%22id%22%7D', 'a', '{"id"}'],
    ['a=%E0%A4%A', 'a', '%E0%A4%A'],
    ['a=x=y', 'a', 'x=y'],
    ['a=', 'a', ''],
  ])('%j → %s = %j', (header, name, expected) => {
    expect(readCookie(header, name)).toBe(expected);
  });
});
