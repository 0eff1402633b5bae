// The shared adapter contract: what every chat adapter must do, driven through the real SDK against a wire-level
// fake. Each platform's test file hands in a small driver that speaks its platform (a signed slash command, a
// Discord interaction, …) and reads the answers back off the fake in a shape these cases can check.
import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, type Poster, type Store, textReply } from '../../src/index.ts';
import { nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { type Catalog, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import type { ManualClock } from '../helpers/clock.ts';

/** An answer to a command or a button press, as the platform received it. */
export interface ContractAnswer {
  /** Seen only by the member who asked (Slack `ephemeral`, Discord's ephemeral flag). */
  private: boolean;
  /** The first heading as the platform shows it (a Slack header, a Discord embed title), if any. */
  title: string | undefined;
  /** The whole body as JSON text. */
  text: string;
  /** True when the platform would notify someone because of this body (a live mention). */
  couldPing: boolean;
}

/** A button on a posted message. */
export interface ContractButton {
  /** The core's action id (`quiz.answer`, `lesson.done`, …) the button carries. */
  actionId: string;
  label: string;
  /** What the platform identifies the button by (a Slack action id and value, a Discord custom id). */
  wire: Readonly<Record<string, string>>;
}

/** A message the bot posted to a channel, as the fake holds it now. */
export interface ContractPost {
  id: string;
  /** The current message as JSON text. */
  text: string;
  buttons: ContractButton[];
  /** Each edit's request body as JSON text, oldest first. */
  edits: string[];
  /** The anchor of the thread the message is in, when it is in one. */
  thread?: string;
}

/** A form the platform opened for the member (a Slack modal, a Discord modal). */
export interface ContractForm {
  /** Each field the platform shows: its id, what it holds, and for a select the values it offers. */
  fields: { id: string; label: string; value: string; options?: string[] }[];
  /** The whole form as JSON text. */
  text: string;
  /** What the driver needs to submit it (the opened view, the modal's custom id). */
  wire: unknown;
}

/** What the member saw after submitting a form. */
export interface ContractFormResult {
  /** False when the platform showed errors and nothing was saved. */
  accepted: boolean;
  /** The fields the errors were shown on (Slack: by block; Discord: the fields the private answer names). */
  errorFields: string[];
  /** What the member was shown, as JSON text. */
  text: string;
}

/** One running adapter on a fake platform, with the core behind it. */
export interface ContractRig {
  bot: Bot;
  store: Store;
  clock: ManualClock;
  /** The adapter's poster, as the scheduler uses it. */
  poster: Poster;
  /** How a member writes "everyone" so that it would ping, were it echoed live. */
  everyone: string;
  /** A channel id of the platform; `n` tells channels of one test apart. */
  channel(n: number): string;
  /** The core's key of a platform channel. */
  channelKey(channel: string): string;
  /** `/orch <text>` from one member in `channel`, the way the platform sends it; resolves with the answer. */
  command(text: string, channel: string): Promise<ContractAnswer>;
  /** The same member presses `button` on `post`; resolves with the answer. */
  press(channel: string, post: ContractPost, button: ContractButton): Promise<ContractAnswer>;
  /**
   * The same member picks the option labelled `label` from the select menu of `answer` (a private answer to a
   * command in `channel`), the way the platform sends a pick; resolves with the answer to the pick.
   */
  pick(channel: string, answer: ContractAnswer, label: string): Promise<ContractAnswer>;
  /** What the bot posted to `channel` itself (not into its threads), oldest first. */
  posts(channel: string): ContractPost[];
  /** What the bot posted into the thread under the channel message `anchorId`, oldest first. */
  threadPosts(channel: string, anchorId: string): ContractPost[];
  /** How many threads hang under messages of `channel`. */
  threadCount(channel: string): number;
  /** Post attempts that reached the platform for `channel`, the failed ones included. */
  postAttempts(channel: string): number;
  /** The platform answers the next channel post with a rate limit. */
  rateLimitNextPost(): void;
  /** The member presses `button` on `post`, which opens a form: resolves with the form the platform opened. */
  pressForForm(channel: string, post: ContractPost, button: ContractButton): Promise<ContractForm>;
  /** A channel admin runs `/orch settings` in `channel`: resolves with the form the platform opened. */
  openSettings(channel: string): Promise<ContractForm>;
  /**
   * Everything the channel shows from the bot, as JSON texts: its posts and the public answers to interactions
   * (on Discord a follow-up in the channel is a message the channel reads).
   */
  seenInChannel(channel: string): string[];
  /** The admin submits `form` with `values` (field id → text or option value) over what it holds. */
  submitForm(form: ContractForm, values: Record<string, string>): Promise<ContractFormResult>;
  /** The choices offered while a member types a tool name, where the platform has autocomplete. */
  suggest?(typed: string): Promise<{ name: string; value: string }[]>;
  stop(): Promise<void>;
}

/** What a platform's test file hands to the contract. */
export interface ContractDriver {
  /** As it reads in the suite's name, e.g. "Slack (HTTP mode)". */
  name: string;
  /** True when the platform offers tool names while typing (the rig has `suggest`). */
  suggests: boolean;
  start(options: { catalog: Catalog }): Promise<ContractRig>;
}

/** Polls for an effect of a request that was already answered; bounded, never a timed sleep for logic. */
export async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
    if (i > 200) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Registers the contract's cases for one adapter. */
export function adapterContract(driver: ContractDriver): void {
  describe(`the shared adapter contract on ${driver.name}`, () => {
    const open: ContractRig[] = [];
    afterEach(async () => {
      for (const rig of open.splice(0)) await rig.stop();
    });
    const start = async (catalog?: Catalog): Promise<ContractRig> => {
      const rig = await driver.start({ catalog: catalog ?? (await realCatalog()) });
      open.push(rig);
      return rig;
    };

    it('answers help privately', async () => {
      const r = await start();
      const answer = await r.command('help', r.channel(1));
      expect(answer.private).toBe(true);
      expect(answer.text).toContain('/orch istio vs linkerd');
    });

    it('answers a Korean lookup with the tool card in the channel, in Korean, pinging nobody', async () => {
      const r = await start();
      const answer = await r.command('이스티오', r.channel(1));
      expect(answer.private).toBe(false);
      expect(answer.title).toBe('Istio');
      expect(answer.text).toContain('핵심 개념');
      expect(answer.couldPing).toBe(false);
    });

    it('answers nonsense with not-found, privately, echoing nothing that could ping', async () => {
      const r = await start();
      const answer = await r.command(`${r.everyone} asdfghjkl`, r.channel(1));
      expect(answer.private).toBe(true);
      expect(answer.text).toContain('Nothing found');
      expect(answer.couldPing).toBe(false);
    });

    if (driver.suggests) {
      it('offers the tool while typing a typo, half-typed Hangul or initial consonants, and looks the pick up', async () => {
        const r = await start();
        for (const typed of ['isito', '이스티', 'ㅇㅅㅌ']) {
          const choices = (await r.suggest?.(typed)) ?? [];
          expect(choices.length).toBeGreaterThan(0);
          expect(choices.length).toBeLessThanOrEqual(25);
          expect(choices[0]?.name).toBe('Istio');
        }
        const [picked] = (await r.suggest?.('isito')) ?? [];
        const card = await r.command(`tool ${picked?.value ?? ''}`, r.channel(1));
        expect(card.title).toBe('Istio');
        expect(card.private).toBe(false);
      });
    }

    it('plays a quiz round in the channel when threads are off: a question with buttons, private confirmations, a reveal that edits the question', async () => {
      const r = await start();
      const channel = r.channel(2);
      await r.store.updateChannel(r.channelKey(channel), { threads: false }, r.clock.now().getTime());
      const started = await r.command('quiz istio 1 20', channel);
      expect(started.private).toBe(true);
      expect(started.text).toContain('Round started.');
      const question = await waitFor(
        () => r.posts(channel).find((p) => p.buttons.some((b) => b.actionId === 'quiz.answer')),
        'a question',
      );
      const round = await r.store.runningRound(r.channelKey(channel));
      const stored = await r.store.roundQuestion(round?.id ?? '', 0);
      const options = question.buttons.filter((b) => b.actionId === 'quiz.answer');
      const right = options[stored?.question.answer ?? 0] as ContractButton;
      const first = await r.press(channel, question, right);
      expect(first.private).toBe(true);
      expect(first.text).toContain('Got it');
      const again = await r.press(channel, question, right);
      expect(again.private).toBe(true);
      expect(again.text).toContain('already answered');
      expect(await r.store.answers(round?.id ?? '', 0)).toHaveLength(1);

      r.clock.advance(20_000);
      await r.bot.quiz.tick();
      const revealed = await waitFor(
        () => r.posts(channel).find((p) => p.id === question.id && p.edits.length > 0),
        'the reveal',
      );
      expect(revealed.edits).toHaveLength(1);
      expect(revealed.edits[0]).toContain('Answer: ');
      const last = await waitFor(
        () => r.posts(channel).find((p) => p.text.includes('Round over: scores')),
        'the scores',
      );
      expect(r.posts(channel).at(-1)?.id).toBe(last.id);
      expect(r.threadCount(channel)).toBe(0);
      expect(r.posts(channel).some((p) => p.text.includes('Round over: scores') && p.id !== last.id)).toBe(
        false,
      );

      // The reveal carries a report button: it opens the platform's form, and the report is kept.
      const report = revealed.buttons.find((b) => b.actionId === 'quiz.report');
      expect(report?.label).toContain('Report');
      const form = await r.pressForForm(channel, revealed, report as ContractButton);
      expect(form.fields.map((f) => f.id)).toEqual(['reason', 'note']);
      expect(form.fields[0]?.options).toEqual(['wrong', 'ambiguous', 'outdated', 'typo']);
      const sent = await r.submitForm(form, { reason: 'typo', note: 'the second option reads "kubelet"' });
      expect(sent.accepted).toBe(true);
      expect(sent.text).toContain('Thanks for the report');
      const counted = await r.store.questionReportCounts(r.channelKey(channel));
      expect(counted.map((c) => [c.questionId, c.reporters])).toEqual([[stored?.question.questionId, 1]]);
    });

    it('starts a quiz from the topic menu `/orch quiz` offers when no topic is typed: a pick runs the round', async () => {
      const r = await start();
      const channel = r.channel(40);
      const key = r.channelKey(channel);
      await r.store.updateChannel(key, { threads: false, quizCount: 2 }, r.clock.now().getTime());
      const menu = await r.command('quiz', channel);
      expect(menu.private).toBe(true);
      expect(menu.text).toContain('Pick a topic');
      expect(menu.text).toContain('Istio');
      // Nothing starts until a topic is picked.
      expect(await r.store.runningRound(key)).toBeNull();
      const started = await r.pick(channel, menu, 'Istio');
      expect(started.private).toBe(true);
      expect(started.text).toContain('Round started.');
      await waitFor(
        () => r.posts(channel).find((p) => p.buttons.some((b) => b.actionId === 'quiz.answer')),
        'the first question',
      );
      expect(await r.store.runningRound(key)).toMatchObject({ topic: 'Istio', questionCount: 2 });
    });

    it('plays a quiz round in a thread under its announcement and posts one summary back to the channel', async () => {
      const r = await start();
      const channel = r.channel(4);
      const started = await r.command('quiz istio 2 20', channel);
      expect(started.text).toContain('Round started.');
      const announcement = await waitFor(
        () => r.posts(channel).find((p) => p.text.includes('Quiz time!')),
        'the announcement',
      );
      const round = await r.store.runningRound(r.channelKey(channel));
      expect(round?.threadAnchor).toBe(announcement.id);
      const questionIn = (number: number) =>
        waitFor(
          () =>
            r
              .threadPosts(channel, announcement.id)
              .find((p) => p.text.includes(`Question ${number}/2`) && p.buttons.length > 0),
          `question ${number} in the thread`,
        );
      const first = await questionIn(1);
      expect(first.thread).toBe(announcement.id);
      const stored = await r.store.roundQuestion(round?.id ?? '', 0);
      const options = first.buttons.filter((b) => b.actionId === 'quiz.answer');
      const right = options[stored?.question.answer ?? 0] as ContractButton;
      // A press inside the thread counts for the channel's round.
      const receipt = await r.press(channel, first, right);
      expect(receipt.private).toBe(true);
      expect(receipt.text).toContain('Got it');
      expect(await r.store.answers(round?.id ?? '', 0)).toHaveLength(1);

      r.clock.advance(20_000);
      await r.bot.quiz.tick();
      await waitFor(
        () => r.threadPosts(channel, announcement.id).find((p) => p.id === first.id && p.edits.length > 0),
        'the first reveal, an edit in the thread',
      );
      await questionIn(2);
      r.clock.advance(20_000);
      await r.bot.quiz.tick();
      const summary = await waitFor(
        () => r.posts(channel).find((p) => p.text.includes('round over')),
        'the summary in the channel',
      );
      const thread = r.threadPosts(channel, announcement.id);
      expect(thread.filter((p) => p.text.includes('Round over: scores'))).toHaveLength(1);
      // The channel holds the announcement and the one summary; everything else is in the thread.
      expect(r.posts(channel).map((p) => p.id)).toEqual([announcement.id, summary.id]);
      expect(summary.text).toContain('Winner:');
      expect(summary.text).toContain('Hardest question');
      expect(summary.buttons).toEqual([]);
      expect(r.threadCount(channel)).toBe(1);
      expect((await r.store.getRound(round?.id ?? ''))?.status).toBe('finished');
    });

    it("opens a scheduled lesson's thread once, even when the process dies between the post and the ledger mark", async () => {
      const r = await start();
      const channel = r.channel(5);
      const key = r.channelKey(channel);
      const begin = r.clock.now().getTime();
      await r.store.updateChannel(
        key,
        { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: nextFireAfter('0 9 * * *', 'UTC', begin) },
        begin,
      );
      const scheduler = (crash: boolean) =>
        new LessonScheduler({
          store: r.store,
          catalog: r.bot.catalog,
          poster: r.poster,
          clock: r.clock,
          logger: silentLogger,
          instanceId: crash ? 'dies' : 'takes-over',
          defaultLang: 'en',
          leaseMs: 60_000,
          onStep: (step) => {
            if (crash && step === 'posted') throw new Error('killed after the post, before the ledger mark');
          },
        });
      r.clock.set('2026-11-26T09:00:30Z');
      await expect(scheduler(true).tick()).rejects.toThrow('killed');
      expect((await r.store.ledger(key, 1))[0]?.status).toBe('claimed');
      // Another process takes the stale claim over and posts the same fire again.
      r.clock.set('2026-11-26T09:02:00Z');
      const report = await scheduler(false).tick();
      expect(report.posted).toBe(1);
      const posts = r.posts(channel);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.text).toContain('Lesson 1/');
      expect(r.threadCount(channel)).toBe(1);
      const thread = r.threadPosts(channel, posts[0]?.id ?? '');
      expect(thread).toHaveLength(1);
      expect(thread[0]?.text).toContain('Talk about lesson 1 here');
      const [entry] = await r.store.ledger(key, 1);
      expect(entry?.status).toBe('posted');
      expect(entry?.messageId).toBe(posts[0]?.id);
    });

    it('posts a scheduled lesson in the channel only when threads are off', async () => {
      const r = await start();
      const channel = r.channel(6);
      const key = r.channelKey(channel);
      const begin = r.clock.now().getTime();
      await r.store.updateChannel(
        key,
        {
          cron: '0 9 * * *',
          timeZone: 'UTC',
          nextFireAt: nextFireAfter('0 9 * * *', 'UTC', begin),
          threads: false,
        },
        begin,
      );
      const scheduler = new LessonScheduler({
        store: r.store,
        catalog: r.bot.catalog,
        poster: r.poster,
        clock: r.clock,
        logger: silentLogger,
        instanceId: 'p1',
        defaultLang: 'en',
      });
      r.clock.set('2026-11-26T09:00:30Z');
      expect((await scheduler.tick()).posted).toBe(1);
      expect(r.posts(channel)).toHaveLength(1);
      expect(r.threadCount(channel)).toBe(0);
    });

    it('posts a scheduled lesson to its channel exactly once, through a rate limit and a repeated fire', async () => {
      const r = await start();
      const channel = r.channel(3);
      const key = r.channelKey(channel);
      const begin = r.clock.now().getTime();
      await r.store.updateChannel(
        key,
        { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: nextFireAfter('0 9 * * *', 'UTC', begin) },
        begin,
      );
      r.rateLimitNextPost();
      const scheduler = new LessonScheduler({
        store: r.store,
        catalog: r.bot.catalog,
        poster: r.poster,
        clock: r.clock,
        logger: silentLogger,
        instanceId: 'p1',
        defaultLang: 'en',
      });
      r.clock.set('2026-11-26T09:00:30Z');
      await scheduler.tick();
      await scheduler.tick();
      const posts = r.posts(channel);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.text).toContain('Lesson 1/');
      // The rate-limited attempt and the one that went through.
      expect(r.postAttempts(channel)).toBe(2);
      // A retry of the same fire (as after a crash) must not post again.
      await r.poster.post(key, textReply('again'), `lesson:${key}:${Date.parse('2026-11-26T09:00:00Z')}`);
      expect(r.posts(channel)).toHaveLength(1);
    });

    it('takes the settings form from an admin: one bad field is shown on that field and changes nothing; fixed, it saves and shows the next five posts', async () => {
      const r = await start();
      const channel = r.channel(7);
      const key = r.channelKey(channel);
      const form = await r.openSettings(channel);
      expect(form.fields.map((f) => f.id).slice(0, 5)).toEqual(['rule', 'zone', 'holidays', 'lang', 'quiz']);
      expect(form.fields.find((f) => f.id === 'quiz')?.value).toBe('5 30');
      expect(form.fields.find((f) => f.id === 'zone')?.options).toContain('Asia/Seoul');

      const bad = await r.submitForm(form, { rule: 'weekdayz 9', quiz: '8 45', lang: 'en' });
      expect(bad.accepted).toBe(false);
      expect(bad.errorFields).toEqual(['rule']);
      expect(bad.text).toContain('I could not read that schedule');
      expect(await r.store.getChannel(key)).toBeNull();
      expect(r.seenInChannel(channel)).toEqual([]);

      const fixed = await r.submitForm(form, { rule: 'weekdays 09:00', quiz: '8 45', lang: 'en' });
      expect(fixed.accepted).toBe(true);
      expect(fixed.errorFields).toEqual([]);
      // The clock reads Wednesday 25 November 2026; the next five weekday mornings in Seoul, lessons 1 to 5.
      expect(fixed.text).toContain('Thu, Nov 26, 09:00 · lesson 1: ');
      expect(fixed.text).toContain('Wed, Dec 2, 09:00 · lesson 5: ');
      expect(await r.store.getChannel(key)).toMatchObject({
        cron: '0 9 * * 1-5',
        timeZone: 'Asia/Seoul',
        lang: 'en',
        quizCount: 8,
        quizSeconds: 45,
      });
      // The group reads what changed in the channel.
      const notice = await waitFor(
        () => r.seenInChannel(channel).find((text) => text.includes('Channel settings changed')),
        'the change in the channel',
      );
      expect(notice).toContain('8 questions');

      // Submitted again, the same form changes nothing and says so.
      const again = await r.submitForm(form, { rule: 'weekdays 09:00', quiz: '8 45', lang: 'en' });
      expect(again.accepted).toBe(true);
      expect(again.text).toContain('already saved');
      expect(
        r.seenInChannel(channel).filter((text) => text.includes('Channel settings changed')),
      ).toHaveLength(1);
    });

    it('shows the personal view (내 공부) privately, and after a Done press it has moved to the next lesson', async () => {
      const r = await start();
      const channel = r.channel(4);
      const key = r.channelKey(channel);
      const begin = r.clock.now().getTime();
      await r.store.updateChannel(
        key,
        { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: nextFireAfter('0 9 * * *', 'UTC', begin) },
        begin,
      );
      const scheduler = new LessonScheduler({
        store: r.store,
        catalog: r.bot.catalog,
        poster: r.poster,
        clock: r.clock,
        logger: silentLogger,
        instanceId: 'p1',
        defaultLang: 'en',
      });
      // Two days, two lessons: Done on the first leaves the second as the member's next.
      r.clock.set('2026-11-26T09:00:30Z');
      await scheduler.tick();
      r.clock.set('2026-11-27T09:00:30Z');
      await scheduler.tick();
      const lesson = await waitFor(
        () => r.posts(channel).find((p) => p.buttons.some((b) => b.actionId === 'lesson.done')),
        'the lesson',
      );
      expect(r.posts(channel)).toHaveLength(2);
      // Before acting anywhere the member studies nowhere yet.
      expect((await r.command('me', channel)).text).toContain('No study channels yet');
      const done = lesson.buttons.find((b) => b.actionId === 'lesson.done') as ContractButton;
      expect((await r.press(channel, lesson, done)).private).toBe(true);
      const view = await r.command('me', channel);
      expect(view.private).toBe(true);
      expect(view.title).toBe('My study');
      expect(view.text).toContain('1 of');
      expect(view.text).toContain('Next: lesson 2');
      expect(view.couldPing).toBe(false);
    });

    it("links the member's account with theirs on the group's other platform: a private code, then one record", async () => {
      const r = await start();
      const channel = r.channel(41);
      const key = r.channelKey(channel);
      const now = r.clock.now().getTime();
      const other = key.startsWith('slack:')
        ? { platform: 'discord', space: 'G9', channel: 'D9' }
        : { platform: 'slack', space: 'T9', channel: 'C9' };
      const otherKey = `${other.platform}:${other.space}:${other.channel}`;
      // One study group, as the admins of both sides made it (the other side's process is the core here).
      await r.store.updateChannel(key, {}, now);
      const join = {
        hash: 'group',
        channelKey: key,
        issuedBy: 'admin',
        issuedAt: now,
        expiresAt: now + 60_000,
      };
      expect(await r.store.issueJoinCode(join, 5)).toBe(true);
      expect((await r.store.joinGroup('group', otherKey, 'admin', now, 5)).outcome).toBe('joined');
      // The member pressed Done on the other side: until they link, it is someone else's.
      await r.store.recordCompletion({ channelKey: otherKey, userId: 'X1', lesson: 1, completedAt: now });
      const lessonsDone = /Lessons done[^0-9]*(\d+)\//;
      expect(lessonsDone.exec((await r.command('progress', channel)).text)?.[1]).toBe('0');
      const issued = await r.command('link', channel);
      expect(issued.private).toBe(true);
      expect(issued.couldPing).toBe(false);
      const code = /[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}/.exec(issued.text)?.[0] ?? '';
      const linked = await r.bot.answer({
        where: other,
        receivedAt: r.clock.now(),
        kind: 'command',
        text: `link ${code}`,
        who: { platform: other.platform, userId: 'X1', displayName: 'x', isAdmin: false },
      });
      expect(linked.data).toMatchObject({ action: 'link', outcome: 'linked' });
      expect(lessonsDone.exec((await r.command('progress', channel)).text)?.[1]).toBe('1');
      // The same code again, over the platform: refused privately, nothing changed.
      const replayed = await r.command(`link ${code}`, channel);
      expect(replayed.private).toBe(true);
      expect(replayed.text).toContain('already used');
    });

    it('answers a command that fails inside the core with an apology, privately', async () => {
      const catalog = await realCatalog();
      // A catalog whose lookups throw, standing in for any bug inside a command.
      const broken = {
        ...catalog,
        toolById: {
          get: () => {
            throw new Error('boom');
          },
        } as unknown as Catalog['toolById'],
      };
      const r = await start(broken);
      const answer = await r.command('istio', r.channel(1));
      expect(answer.private).toBe(true);
      expect(answer.text).toContain('Sorry, something went wrong');
    });
  });
}
