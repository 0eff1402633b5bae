import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleProcess } from '../helpers/console-process.ts';

/** One step of the tour in a process of its own: the console is restarted before every step. */
async function step(data: string, ...lines: string[]): Promise<string> {
  const { code, stdout, stderr } = await consoleProcess(data, lines);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

const lessonsIn = (out: string) => [...out.matchAll(/== Lesson (\d+)\/\d+/g)].map((m) => Number(m[1]));
// The console shows its clock as the channel reads it, to the minute; the tests run it in English on UTC.
const timeIn = (out: string) => Date.parse(`${/^⏰ (.+)$/m.exec(out)?.[1] ?? ''} UTC`);
const MINUTE = 60_000;

describe('the console clock across restarts (a real SQLite file, two console processes)', () => {
  it('starts where /time left it, so a restart never puts the store in its future', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-clock-'));
    const moved = timeIn(await step(data, '/time +1w'));
    expect(moved).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const after = await step(data, '/time');
    expect(timeIn(after)).toBeGreaterThanOrEqual(moved);
    expect(after).toContain('The console clock is 7 d ahead of real time');
  });

  it('never starts before where the last run left off, even if the wall clock went back', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-clock-'));
    const at = Date.now() + 30 * 86_400_000;
    // Saved by a run whose wall clock was a week ahead of this one: the offset alone would land a week early.
    await writeFile(join(data, 'console-clock.json'), JSON.stringify({ offsetMs: 23 * 86_400_000, at }));
    expect(timeIn(await step(data, '/time'))).toBeGreaterThanOrEqual(at - MINUTE);
  });

  it('refuses an unreadable clock file instead of guessing real time', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-clock-'));
    await writeFile(join(data, 'console-clock.json'), 'not json');
    const { code, stderr } = await consoleProcess(data, []);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read the console clock');
  });

  it('after /time +1w, a quiz and a restart, starts the next quiz and posts the lessons it promised', async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-clock-'));
    await step(data, '/orch schedule daily 09:00 Asia/Seoul');
    expect(lessonsIn(await step(data, '/time +1w', '/orch quiz istio 1 10', '/time +1m'))).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    const next = await step(data, '/orch quiz istio 1 10', '/orch quiz stop', '/time +1d');
    expect(next).toContain('Quiz time! 1 question on Istio');
    expect(lessonsIn(next)).toEqual([8]);
  });
});

describe('the README tour, restarting the console between steps', () => {
  it('sees no lock-out and every promised lesson', { timeout: 240_000 }, async () => {
    const data = await mkdtemp(join(tmpdir(), 'orch-tour-'));
    // A short tour
    const lookups = await step(
      data,
      '/orch istio',
      '이스티오가 뭐야',
      'envoy vs contour --lang en',
      'category',
      '/orch help',
    );
    expect(lookups).toContain('== Istio ==');
    expect(lookups).toContain('카테고리');
    expect(lookups).toContain('Envoy vs Contour');
    // Play a quiz
    expect(await step(data, '/orch quiz istio 3 20')).toContain('Quiz time! 3 questions on Istio');
    expect(await step(data, 'B')).toContain('Got it: you answered B.');
    const revealed = await step(data, '/time +20s');
    expect(revealed).toContain('Answer: ');
    expect(revealed).toContain('== Question 2/3 ==');
    const scores = await step(data, '/orch leaderboard', '/orch review');
    expect(scores).toMatch(/Leaderboard/);
    expect(await step(data, '/orch quiz stop')).toMatch(/stopped|Round over/i);
    // Watch a week of lessons arrive
    expect(await step(data, '/orch schedule weekdays 09:00 Asia/Seoul')).toContain(
      'Scheduled: weekdays 09:00',
    );
    const week = await step(data, '/time +1w', '1');
    expect(lessonsIn(week)).toEqual([1, 2, 3, 4, 5]);
    expect(week).toContain('Lesson 5 marked done.');
    const progress = await step(data, '/orch roadmap', '/orch progress');
    expect(progress).toMatch(/Channel progress \[#+-+\] 5\/\d+/);
    expect(progress).toMatch(/Lessons done \[#?-+\] 1\/\d+/);
    // The lessons promised next arrive, and a quiz after all that time travel starts at once.
    const promised = /Next: ([^.]+\(Asia\/Seoul\))/.exec(await step(data, '/orch schedule show'))?.[1];
    expect(promised).toBeDefined();
    const later = await step(data, '/orch quiz istio 1 10', '/time +3d');
    expect(later).toContain('Quiz time! 1 question on Istio');
    expect(lessonsIn(later)[0]).toBe(6);
    const again = await step(data, '/orch quiz istio 1 10', '/orch quiz stop');
    expect(again).toContain('Quiz time! 1 question on Istio');
    // For scripts: `orch ask` answers from the same store, on the same clock.
    const json = await consoleProcess(data, [], {}, ['ask', 'istio vs linkerd', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ intent: 'compare', toolIds: ['istio', 'linkerd'] });
    const card = await consoleProcess(data, [], {}, ['ask', '이스티오', '--lang', 'en']);
    expect(card.code).toBe(0);
    expect(card.stdout).toContain('Key concepts');
    expect((await readFile(join(data, 'orch.db'))).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
