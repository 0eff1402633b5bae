import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/index.ts';

/** The wall clock plus an offset the console user can move forward with /time, to watch lessons arrive. */
export class ShiftableClock implements Clock {
  constructor(
    private readonly base: () => number = () => Date.now(),
    private offsetMs = 0,
    /** Told the new offset before anything happens at the new time. */
    private readonly onShift: (offsetMs: number, nowMs: number) => void = () => undefined,
  ) {}

  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }

  /** How far ahead of the wall clock this clock runs. */
  ahead(): number {
    return this.offsetMs;
  }

  shift(ms: number): void {
    this.offsetMs += ms;
    this.onShift(this.offsetMs, this.base() + this.offsetMs);
  }
}

/** The file, in the data folder, that keeps the console clock's offset between runs. */
export const CONSOLE_CLOCK_FILE = 'console-clock.json';

/**
 * The console's clock, carried over from the last run.
 *
 * Why persisted rather than a scratch store: every row the console writes (the ledger of posted lessons, the
 * channel's next fire, quiz rounds and review due dates) is stamped with this clock. A restart that went back to
 * real time would find those rows in its future: a quiz round "just started" a week from now locks the channel
 * out, and the lessons after the ones /time fast-forwarded through are never due. A scratch store would avoid that
 * but throw away what the user did on the way (lessons posted, Done pressed, quiz points), which a restart should
 * keep. So the clock keeps its offset (written before any step at the new time, so even a kill during `/time +1w`
 * leaves no row ahead of it) and never starts earlier than where the last run left off, even if the wall clock
 * went back. Removing the data folder starts over at real time.
 */
export function openConsoleClock(dataDir: string, base: () => number = () => Date.now()): ShiftableClock {
  const file = join(dataDir, CONSOLE_CLOCK_FILE);
  const saved = readSaved(file);
  const offset = saved ? Math.max(saved.offsetMs, saved.at - base(), 0) : 0;
  return new ShiftableClock(base, offset, (offsetMs, nowMs) => {
    mkdirSync(dataDir, { recursive: true });
    const temp = `${file}.tmp`;
    // Written whole and renamed, so a kill mid-write never leaves a clock that reads as real time.
    writeFileSync(temp, `${JSON.stringify({ offsetMs, at: nowMs, now: new Date(nowMs).toISOString() })}\n`);
    renameSync(temp, file);
  });
}

/** A clock file that exists but cannot be read is an error: guessing real time would put the store in the future. */
function readSaved(file: string): { offsetMs: number; at: number } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConsoleClockError(file, (error as Error).message);
  }
  try {
    const parsed = JSON.parse(text) as { offsetMs?: unknown; at?: unknown };
    if (typeof parsed.offsetMs === 'number' && typeof parsed.at === 'number')
      return { offsetMs: parsed.offsetMs, at: parsed.at };
  } catch {
    // reported below with the same message as a wrong shape
  }
  throw new ConsoleClockError(file, 'not a console clock ({"offsetMs":…,"at":…})');
}

/** The saved console clock is unreadable; the message says what to do. */
export class ConsoleClockError extends Error {
  constructor(file: string, why: string) {
    super(
      `cannot read the console clock ${file}: ${why}. Fix or remove it; removing it starts the clock at real time, so remove the data folder with it if /time ever moved the clock.`,
    );
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
