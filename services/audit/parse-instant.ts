import { InvalidInputError } from '../../core/errors.ts';

// A date, or a date and time with an explicit offset: a time without one would be read in the
// server's time zone, which the caller cannot know.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/**
 * Parses an ISO 8601 instant: `2024-05-01` (midnight UTC) or `2024-05-01T12:30[:45[.123]]`
 * followed by `Z` or `±hh:mm`. Fractions beyond milliseconds are cut off. Unlike `Date.parse`,
 * refuses impossible dates (`2024-02-30`) and loose forms (`1`, `May 1`).
 * @throws InvalidInputError(field)
 */
export function parseInstant(value: string, field: string): Date {
  const match = INSTANT.exec(value);
  if (!match) throw new InvalidInputError(field, 'must be an ISO 8601 date (2024-05-01) or date and time with an offset (2024-05-01T12:30:00Z)');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  // Day 0 of the next month is the last of this one; setUTCFullYear, unlike Date.UTC, takes years below 100 as they are.
  const monthEnd = new Date(0);
  monthEnd.setUTCFullYear(year, month, 0);
  const daysInMonth = monthEnd.getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59)
    throw new InvalidInputError(field, `${JSON.stringify(value)} is not a real date and time`);
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) throw new InvalidInputError(field, `${JSON.stringify(value)} has an impossible offset`);
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute - offset, second, millis);
  return utc;
}
