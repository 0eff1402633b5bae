/**
 * `kill -9` of the running bot process right after a burst of quiz clicks was acknowledged: every click Slack got
 * a 200 for is stored. The answer is written before the ack (within a budget under Slack's 3 seconds).
 */
import { describe, it } from 'vitest';
import type { QuizAnswer } from '../../src/testing.ts';
import { answerTo, click, command, MONDAY_0800, Proof, postedQuestion, responseText, until } from './rig.ts';

const MEMBERS = Array.from({ length: 80 }, (_, i) => `UC${String(i + 1).padStart(3, '0')}`);

describe('kill -9 right after a burst of clicks was acknowledged', () => {
  it('loses none of the acknowledged clicks', { timeout: 90_000 }, async (ctx) => {
    const { expect } = ctx;
    const proof = Proof.of(ctx);
    const fake = await proof.fakeSlack();
    const store = await proof.store('sqlite');
    const bot = await proof.bot('bot', fake, store, MONDAY_0800);
    const started = await command(bot, fake, 'quiz all 2 60', { user: 'U000' });
    expect(responseText(await answerTo(fake, started))).toContain('Round started');
    const question = await until(() => postedQuestion(fake, 'C1', 0), 'question 1 in the channel');

    // The burst; the moment the last acknowledgement is in, the process dies.
    const acked: string[] = [];
    await Promise.allSettled(
      MEMBERS.map(async (member, i) => {
        await click(bot, fake, question, member, i % question.options.length);
        acked.push(member);
      }),
    );
    await bot.kill9();
    expect(acked.length).toBeGreaterThan(0);

    const reader = await store.open();
    const stored = new Set(
      ((await reader.answers(question.roundId, 0)) as QuizAnswer[]).map((a) => a.userId),
    );
    const lost = acked.filter((member) => !stored.has(member));
    expect(lost, `${lost.length} of ${acked.length} acknowledged clicks were not stored`).toEqual([]);
  });
});
