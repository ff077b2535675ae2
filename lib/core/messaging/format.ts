// Values as a message's language writes them: lifetimes ("15 Minuten", "1 heure") and instants
// (always stated in UTC, since the server cannot know the reader's zone), from Intl.

/** English after the tag: an unsupported tag then formats in English, not in the machine's locale. */
function intlLocales(locale: string): string[] {
  try {
    return [...Intl.getCanonicalLocales(locale), 'en'];
  } catch {
    return ['en'];
  }
}

const UNITS = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
] as const;

/**
 * A lifetime in words, in the largest unit that holds it whole (`15 minutes`, `1 hour`,
 * `7 Tage`, `90 secondes`); a lifetime in no whole unit is rounded to minutes.
 */
export function formatDuration(ms: number, locale: string): string {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`formatDuration: ${ms} is not a lifetime`);
  let amount = Math.max(1, Math.round(ms / 60_000));
  let unit: (typeof UNITS)[number][1] = 'minute';
  for (const [size, name] of UNITS) {
    if (ms >= size && ms % size === 0) {
      amount = ms / size;
      unit = name;
      break;
    }
  }
  return new Intl.NumberFormat(intlLocales(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(amount);
}

/** A date and time in UTC, long form, the zone named: `March 5, 2025 at 2:07:09 PM UTC`, `5 mars 2025 à 14:07:09 UTC`. */
export function formatDateTime(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(intlLocales(locale), { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(date);
}
