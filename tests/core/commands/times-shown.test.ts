import { describe, expect, it } from 'vitest';
import { userKeyOf } from '../../../src/channel-key.ts';
import { type Incoming, type Lang, toPlainText } from '../../../src/index.ts';
import { openStore } from '../../../src/testing.ts';
import { command, realCatalog, testBot } from '../../helpers/catalog.ts';
import { ManualClock } from '../../helpers/clock.ts';

const KEY = 'test:T1:C1';
const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };
// A date written the machine's way: 2026-12-10, 2026-12-10T01:19, "01:19 UTC", or a trailing Z.
const MACHINE_TIME = /\d{4}-\d{2}-\d{2}|\bUTC\b|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z\b/;

/** Every command that shows a time, in the order a group would meet them. */
const STEPS: readonly (string | { review: number })[] = [
  'schedule weekdays 09:00 America/New_York',
  'schedule show',
  'schedule pause',
  'schedule resume',
  'lesson',
  'lesson next',
  'progress',
  'roadmap',
  'leaderboard',
  'leaderboard month',
  'leaderboard all',
  { review: 0 },
  { review: 1 },
];

describe('times shown to people', () => {
  for (const lang of ['en', 'ko'] as const satisfies readonly Lang[]) {
    it(`are written in the channel's zone and language, never as a UTC timestamp (${lang})`, async () => {
      const store = await openStore({ sqlitePath: ':memory:' });
      const clock = new ManualClock(Date.parse('2026-12-10T01:19:00Z'));
      const bot = await testBot({ store, clock, defaultLang: lang });
      const catalog = await realCatalog();
      const question = catalog.questions[0];
      if (!question) throw new Error('the catalog has no quiz question');
      for (const step of STEPS) {
        let incoming: Incoming;
        if (typeof step === 'string') {
          incoming = command(step, { who: admin, receivedAt: clock.now() });
        } else {
          // A review card that is due, answered right (0 = the answer) or wrong, so the reply names its next date.
          await store.saveReviewCard({
            userKey: userKeyOf(KEY, admin.userId),
            questionId: question.id,
            question: {
              questionId: question.id,
              question: question.question,
              options: question.options,
              answer: question.answer,
              explanation: question.explanation,
              toolId: question.tool ?? null,
            },
            card: '',
            dueAt: clock.now().getTime() - 1,
          });
          const option =
            step.review === 0 ? question.answer : (question.answer + 1) % question.options.length;
          incoming = {
            kind: 'choice',
            actionId: 'review.answer',
            value: `${question.id}:${option}`,
            who: admin,
            where: { platform: 'test', space: 'T1', channel: 'C1' },
            receivedAt: clock.now(),
          } as Incoming;
        }
        const text = (await bot.handle(incoming)).map(toPlainText).join('\n');
        expect(text, JSON.stringify(step)).not.toMatch(MACHINE_TIME);
        if (step === 'schedule show')
          expect(text).toContain(lang === 'ko' ? '12월 10일 (목) 09:00' : 'Thu, Dec 10, 2026, 09:00');
        if (typeof step !== 'string')
          expect(text).toMatch(
            lang === 'ko' ? /\d+월 \d+일 \([월화수목금토일]\) \d{2}:\d{2}/ : /\w{3}, \w{3} \d+, \d{2}:\d{2}/,
          );
      }
    });
  }
});
