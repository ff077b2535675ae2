// Server-generated ids: 20 lowercase hex chars, 13 from the clock (like PHP's uniqid, so ids sort
// roughly by creation time) and 7 random.
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

export function newId(): string {
  // The wall clock, not services.now(): no request logic compares an id's time with anything;
  // it only has to sort by creation.
  const ms = Date.now();
  // A per-millisecond sequence fills uniqid's microsecond digits, keeping ids made in the same
  // millisecond in creation order.
  sequence = ms === lastMs ? (sequence + 1) % 1000 : 0;
  lastMs = ms;
  const seconds = Math.floor(ms / 1000).toString(16).padStart(8, '0');
  const micros = ((ms % 1000) * 1000 + sequence).toString(16).padStart(5, '0');
  return seconds + micros + randomBytes(4).toString('hex').slice(0, 7);
}
