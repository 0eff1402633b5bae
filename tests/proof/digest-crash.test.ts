// kill -9 during the weekly digest's upload: the bot is a real process (the production server entry, real Bolt against
// the fake Slack, a real database), Slack has shared the card's message but its answer is held, and the process dies.
// The next process, once the dead one's claim has run out, finishes the digest without a second message or upload.
import { describe, it } from 'vitest';
import type { DigestEntry } from '../../src/store/store.ts';
import {
  ADMIN,
  answerTo,
  command,
  MINUTE,
  MONDAY_0800,
  POSTGRES_NOTE,
  Proof,
  responseText,
  SKIP_POSTGRES,
  type StoreKind,
} from './rig.ts';

const CHANNEL = 'C1';
const CHANNEL_KEY = 'slack:T1:C1';
// 2026-01-05 is a Monday: 09:00 UTC is the digest's default time in a channel whose zone is UTC.
const NINE = Date.parse('2026-01-05T09:00:00Z');

for (const [kind, name, skip] of [
  ['sqlite', 'SQLite', false],
  ['postgres', `PostgreSQL${POSTGRES_NOTE}`, SKIP_POSTGRES],
] as [StoreKind, string, boolean][]) {
  describe.skipIf(skip)(`the weekly digest across a kill -9 during its upload (${name})`, () => {
    it('is posted once, with its card, by the process that takes the claim over', {
      timeout: 90_000,
    }, async (ctx) => {
      const { expect } = ctx;
      const proof = Proof.of(ctx);
      const fake = await proof.fakeSlack();
      const store = await proof.store(kind);
      const first = await proof.bot('bot-before-crash', fake, store, MONDAY_0800);
      const set = await command(first, fake, 'schedule daily 09:00 UTC', { user: ADMIN });
      expect(responseText(await answerTo(fake, set))).toContain('Scheduled: daily 09:00');

      // Slack takes the completion (the card's message is in the channel) but its answer never reaches the bot.
      const hold = fake.holdNext('files.completeUploadExternal');
      await first.call({ cmd: 'clock.set', ms: NINE + 30_000 });
      await first.call({ cmd: 'scheduler.tick' });
      const settled = first.call({ cmd: 'digests.settled' }).then(
        () => 'finished',
        () => 'killed',
      );
      await hold.arrived;
      const cards = () => fake.history(CHANNEL).filter((m) => (m.files?.length ?? 0) > 0);
      expect(cards()).toHaveLength(1);
      await first.kill9();
      hold.release();
      expect(await settled).toBe('killed');

      const digests = (bot: typeof first) =>
        bot.call<DigestEntry[]>({ cmd: 'store', method: 'digests', args: [CHANNEL_KEY, 5] });
      // Within the dead process's lease its claim is left alone.
      const second = await proof.bot('bot-after-crash', fake, store, NINE + MINUTE);
      await second.call({ cmd: 'scheduler.tick' });
      await second.call({ cmd: 'digests.settled' });
      expect((await digests(second))[0]?.status).toBe('claimed');

      // After it, the claim is taken over: the card's message is found by its file name, so nothing is uploaded or
      // posted again, and the ledger records the message that went out.
      await second.call({ cmd: 'clock.set', ms: NINE + 4 * MINUTE });
      await second.call({ cmd: 'scheduler.tick' });
      await second.call({ cmd: 'digests.settled' });
      expect(cards()).toHaveLength(1);
      expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
      expect(fake.callsTo('files.completeUploadExternal')).toHaveLength(1);
      const [entry] = await digests(second);
      expect(entry).toMatchObject({ status: 'posted', messageId: cards()[0]?.ts });
      expect(JSON.stringify(cards()[0]?.blocks)).toContain('Our week');
      expect(cards()[0]?.files?.[0]?.name).toBe('orch-digest-2026-01-05.png');
    });
  });
}
