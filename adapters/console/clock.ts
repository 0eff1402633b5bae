import type { Clock } from '../../src/index.ts';

/** The wall clock plus an offset the console user can move forward with /time, to watch lessons arrive. */
export class ShiftableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = () => Date.now()) {}

  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }

  shift(ms: number): void {
    this.offsetMs += ms;
  }
}

const DAY = 86_400_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY };

/** Parses "+30s", "+1d", "+3h", "+90m", "+2w" into milliseconds; null for anything else. */
export function parseShift(text: string): number | null {
  const match = /^\+?(\d{1,4})\s*([smhdw])$/i.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] ?? 0);
  return ms > 0 && ms <= 366 * DAY ? ms : null;
}
