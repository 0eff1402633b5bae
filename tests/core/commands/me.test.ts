import { describe, expect, it } from 'vitest';
import {
  homeLessonDone,
  homeLessonOpen,
  lessonQuiz,
  reviewAnswer,
  reviewStart,
  settingsOpen,
} from '../../../src/actions/index.ts';
import type { Choice, Incoming, Reply, Store } from '../../../src/index.ts';
import { toPlainText } from '../../../src/index.ts';
import { nextCard } from '../../../src/quiz/review.ts';
import { openStore } from '../../../src/testing.ts';
import { command, testBot } from '../../helpers/catalog.ts';
import { ManualClock } from '../../helpers/clock.ts';
import { RecordingPoster } from '../../helpers/recording-poster.ts';

// Wednesday 2026-12-09 12:00 in Seoul: the week began Monday 2026-12-07 00:00 there.
const NOW = '2026-12-09T03:00:00Z';
const question = {
  questionId: 'q-home',
  question: { en: 'Which one schedules pods?', ko: '파드를 배치하는 것은?' },
  options: [
    { en: 'the scheduler', ko: '스케줄러' },
    { en: 'etcd', ko: 'etcd' },
  ],
  answer: 0,
  explanation: { en: 'It picks nodes.', ko: '노드를 골라요.' },
  toolId: null,
};
let rounds = 0;

async function score(store: Store, channelKey: string, userId: string, points: number, at: number) {
  const id = `round-${++rounds}`;
  await store.createRound(
    {
      id,
      channelKey,
      startedBy: userId,
      topic: 'kubernetes',
      lang: 'en',
      secondsPerQuestion: 20,
      questionCount: 1,
      status: 'running',
      current: 0,
      createdAt: at - 2000,
      finishedAt: null,
    },
    [question],
  );
  await store.markQuestionPosted(id, 0, `m${rounds}`, at - 1000, at + 20_000);
  await store.recordAnswers([
    { roundId: id, index: 0, userId, displayName: userId, option: 0, answeredAt: at, correct: true, points },
  ]);
  await store.finishRound(id, 'finished', at + 1);
}

async function setup() {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse(NOW));
  const now = clock.now().getTime();
  const bot = await testBot({ store, clock, defaultLang: 'en', defaultTimeZone: 'Asia/Seoul' });
  // C1: lessons 1 and 2 done; C2: a quiz this week, where U2 scored more; T2's channel: another workspace.
  for (const lesson of [1, 2])
    await store.recordCompletion({ channelKey: 'test:T1:C1', userId: 'U1', lesson, completedAt: now - 5000 });
  await score(store, 'test:T1:C2', 'U1', 100, now - 3000);
  await score(store, 'test:T1:C2', 'U2', 200, now - 2000);
  await store.recordCompletion({
    channelKey: 'test:T2:C9',
    userId: 'U1',
    lesson: 1,
    completedAt: now - 1000,
  });
  const { card } = nextCard(null, false, now - 86_400_000);
  await store.saveReviewCard({ userKey: 'test:T1:U1', questionId: 'q-home', question, card, dueAt: now - 1 });
  return { store, bot, clock };
}

const inSpace = (space: string, channel = 'C1'): Partial<Incoming> => ({
  where: { platform: 'test', space, channel },
});
const press = (choice: Choice, extra: Partial<Incoming> = {}): Incoming =>
  ({ ...command(''), kind: 'choice', actionId: choice.actionId, value: choice.value, ...extra }) as Incoming;
const buttons = (reply: Reply | undefined, actionId: string): Choice[] =>
  (reply?.blocks ?? [])
    .flatMap((b) => (b.type === 'choices' ? b.choices : []))
    .filter((c) => c.actionId === actionId);

describe('/orch me: the personal view', () => {
  it('shows the next lesson, streak, weekly rank, reviews due and recent quizzes of the channels in this space', async () => {
    const { bot } = await setup();
    const answer = await bot.answer(command('me'));
    expect(answer.outcome).toBe('ok');
    const [reply] = answer.replies;
    expect(reply?.visibility).toBe('private');
    expect(reply?.surface).toBe('home');
    const channels = answer.data.channels as { channel: string; nextLesson: number | null }[];
    // Most recently active first; the other workspace's channel is not part of this one's view.
    expect(channels.map((c) => c.channel)).toEqual(['test:T1:C2', 'test:T1:C1']);
    expect(answer.data.channels).toMatchObject([
      { channel: 'test:T1:C2', nextLesson: 1, done: 0, weeklyRank: { rank: 2, points: 100 } },
      { channel: 'test:T1:C1', nextLesson: 3, done: 2, streak: 2, weeklyRank: null },
    ]);
    expect(answer.data.reviews).toEqual([{ space: 'T1', due: 1 }]);
    expect(answer.data.recentQuizzes).toMatchObject([{ channelKey: 'test:T1:C2', points: 100, correct: 1 }]);
    const text = toPlainText(reply as Reply);
    expect(text).toContain('My study');
    expect(text).toContain('2 of');
    expect(text).toContain('This week: #2 with 100 points');
    expect(text).toContain('Reviews due: 1');
    expect(buttons(reply, reviewStart.id)).toHaveLength(1);
    // Settings buttons are for admins only.
    expect(buttons(reply, settingsOpen.id)).toEqual([]);
    const admin = await bot.handle(
      command('me', { who: { platform: 'test', userId: 'U1', displayName: 'a', isAdmin: true } }),
    );
    expect(buttons(admin[0], settingsOpen.id)).toHaveLength(2);
  });

  it('says how to start when the member studies nowhere yet, in Korean too', async () => {
    const { bot } = await setup();
    const [reply] = await bot.handle(
      command('내공부', { who: { platform: 'test', userId: 'U9', displayName: 'n', isAdmin: false } }),
    );
    const text = toPlainText(reply as Reply);
    expect(text).toContain('내 공부');
    expect(text).toContain('아직 공부한 채널이 없어요');
  });

  it('records Done in the channel the button names, and the view moves on to the next lesson', async () => {
    const { bot, store } = await setup();
    const [view] = await bot.handle(command('me'));
    const done = buttons(view, homeLessonDone.id);
    expect(done).toHaveLength(2);
    // Pressed from elsewhere in the space (Slack's Home has no channel).
    const receipt = await bot.handle(press(done[1] as Choice, inSpace('T1', 'home')));
    expect(toPlainText(receipt[0] as Reply)).toContain('3');
    expect(await store.completions('test:T1:C1', 'U1')).toEqual([1, 2, 3]);
    const after = await bot.answer(command('me'));
    expect(after.data.channels).toMatchObject([
      { channel: 'test:T1:C1', nextLesson: 4, done: 3, streak: 3 },
      {},
    ]);
  });

  it('opens the next lesson privately away from its channel, with a Done that names the channel and no quiz', async () => {
    const { bot, store } = await setup();
    const [view] = await bot.handle(command('me'));
    const open = buttons(view, homeLessonOpen.id)[1] as Choice;
    const [lesson] = await bot.handle(press(open, inSpace('T1', 'home')));
    expect(lesson?.visibility).toBe('private');
    expect(toPlainText(lesson as Reply)).toContain('Lesson 3/');
    expect(buttons(lesson, lessonQuiz.id)).toEqual([]);
    const [done] = buttons(lesson, homeLessonDone.id);
    await bot.handle(press(done as Choice, inSpace('T1', 'D1')));
    expect(await store.completions('test:T1:C1', 'U1')).toEqual([1, 2, 3]);
    expect(await store.completions('test:T1:D1', 'U1')).toEqual([]);
  });

  it('refuses a Done or settings press that names another workspace, and changes nothing', async () => {
    const { bot, store } = await setup();
    const forged = homeLessonDone.button('x', { space: 'T2', channel: 'C9', lesson: 5 }, 'en');
    const [reply] = await bot.handle(press(forged));
    expect(toPlainText(reply as Reply)).toContain('no longer active');
    expect(await store.completions('test:T2:C9', 'U1')).toEqual([1]);
    const settings = settingsOpen.button('x', { space: 'T1', channel: 'C1' }, 'en');
    const refused = await bot.answer(press(settings));
    expect(refused.outcome).toBe('refused');
    expect(refused.errorKey).toBe('error.adminOnly');
  });

  it("opens the settings form of the channel an admin's settings press names, and its submission changes that channel", async () => {
    const { store, clock } = await setup();
    const poster = new RecordingPoster();
    const bot = await testBot({ store, clock, poster, defaultLang: 'en', defaultTimeZone: 'Asia/Seoul' });
    await store.updateChannel('test:T1:C1', { lang: 'ko' }, clock.now().getTime());
    const admin = { who: { platform: 'test', userId: 'U1', displayName: 'a', isAdmin: true } };
    // Pressed in D1 (a Home tab or DM of the same workspace), naming C1.
    const settings = settingsOpen.button('x', { space: 'T1', channel: 'C1' }, 'en');
    const [reply] = await bot.handle(press(settings, { ...admin, ...inSpace('T1', 'D1') }));
    const text = toPlainText(reply as Reply);
    expect(text).toContain('Channel settings');
    expect(text).toContain('Channel `C1`');
    expect(text).toContain('Korean');
    const form = reply?.form;
    expect(form?.fields.find((f) => f.id === 'lang')?.value).toBe('ko');
    const submit = (values: Record<string, string>, where = inSpace('T1', 'D1'), state = form?.state ?? '') =>
      bot.answer({
        ...command(''),
        ...admin,
        ...where,
        kind: 'submit',
        formId: form?.id ?? '',
        state,
        values,
      } as Incoming);
    const saved = await submit({ lang: 'en', threads: 'off' });
    expect(saved.outcome).toBe('ok');
    expect((await store.getChannel('test:T1:C1'))?.lang).toBe('en');
    expect((await store.getChannel('test:T1:C1'))?.threads).toBe(false);
    expect(await store.getChannel('test:T1:D1')).toBeNull();
    // The submitter reads the receipt privately; the channel that changed is told in the channel, not the DM.
    expect(saved.replies.map((r) => r.visibility)).toEqual(['private']);
    expect(poster.messages.map((m) => m.channelKey)).toEqual(['test:T1:C1']);
    expect(toPlainText(poster.replies[0] as Reply)).toContain('Threads');
  });

  it('refuses a settings form whose channel is out of reach or forged, or submitted by a non-admin, and changes nothing', async () => {
    const { bot, store } = await setup();
    const admin = { who: { platform: 'test', userId: 'U1', displayName: 'a', isAdmin: true } };
    const settings = settingsOpen.button('x', { space: 'T1', channel: 'C1' }, 'en');
    const [reply] = await bot.handle(press(settings, { ...admin, ...inSpace('T1', 'D1') }));
    const state = reply?.form?.state ?? '';
    expect(state).toContain('T1/C1');
    const submit = (extra: Partial<Incoming>, s = state) =>
      bot.answer({
        ...command(''),
        ...admin,
        ...inSpace('T1', 'D1'),
        ...extra,
        kind: 'submit',
        formId: 'settings',
        state: s,
        values: { lang: 'en' },
      } as Incoming);
    // From another workspace: the channel is not reachable from there.
    expect((await submit(inSpace('T2', 'C9'))).errorKey).toBe('error.unknownForm');
    // A state naming a target this core never wrote.
    expect((await submit({}, `${state}.x`)).errorKey).toBe('error.unknownForm');
    expect((await submit({}, state.replace('T1/C1', 'T1/C:1'))).errorKey).toBe('error.unknownForm');
    // Not an admin.
    const member = await submit({
      who: { platform: 'test', userId: 'U2', displayName: 'b', isAdmin: false },
    });
    expect(member.errorKey).toBe('error.adminOnly');
    expect(await store.getChannel('test:T1:C1')).toBeNull();
    expect(await store.getChannel('test:T2:C9')).toBeNull();
  });

  it('starts a review from the view, privately, and answers it', async () => {
    const { bot, store, clock } = await setup();
    const [view] = await bot.handle(command('me'));
    const [start] = buttons(view, reviewStart.id);
    const [asked] = await bot.handle(press(start as Choice));
    expect(asked?.visibility).toBe('private');
    expect(toPlainText(asked as Reply)).toContain('Which one schedules pods?');
    const [right] = buttons(asked, reviewAnswer.id);
    const feedback = await bot.handle(press(right as Choice));
    expect(toPlainText(feedback[0] as Reply)).toMatch(/^Right!/);
    expect(await store.countDueReviews('test:T1:U1', clock.now().getTime())).toBe(0);
  });
});

describe('a direct message (a user-installed app, no space)', () => {
  const dm = inSpace('dm', 'D1');

  it("shows the member's study across every space, and reviews the space whose cards are due", async () => {
    const { bot, store, clock } = await setup();
    const answer = await bot.answer(command('me', dm));
    expect((answer.data.channels as { channel: string }[]).map((c) => c.channel)).toEqual([
      'test:T2:C9',
      'test:T1:C2',
      'test:T1:C1',
    ]);
    expect(answer.data.reviews).toEqual([
      { space: 'T2', due: 0 },
      { space: 'T1', due: 1 },
    ]);
    const [start] = buttons(answer.replies[0], reviewStart.id);
    const [asked] = await bot.handle(press(start as Choice, dm));
    const [wrong] = buttons(asked, reviewAnswer.id).slice(1);
    // The answer buttons name the space, since the press comes from outside it.
    expect(reviewAnswer.decode((wrong as Choice).value.replace(/@en$/, ''))).toMatchObject({ space: 'T1' });
    const feedback = await bot.handle(press(wrong as Choice, dm));
    expect(toPlainText(feedback[0] as Reply)).toContain('the answer is A');
    expect(await store.countDueReviews('test:T1:U1', clock.now().getTime())).toBe(0);
    // `/orch review` typed in the DM finds the same space's cards.
    clock.advance(400 * 86_400_000);
    expect(toPlainText((await bot.handle(command('review', dm)))[0] as Reply)).toContain(
      'Which one schedules pods?',
    );
  });

  it('refuses channel commands and channel buttons there with a clear private message', async () => {
    const { bot } = await setup();
    const answer = await bot.answer(command('quiz', dm));
    expect(answer.outcome).toBe('refused');
    expect(answer.replies[0]?.visibility).toBe('private');
    expect(toPlainText(answer.replies[0] as Reply)).toContain('only your personal commands work');
    expect((await bot.answer(command('tool kubernetes', dm))).outcome).toBe('ok');
  });
});

describe('asking for 내 공부 in Korean', () => {
  it.each(['내 공부', '내공부', '내 공부 보여줘'])('understands "%s"', async (line) => {
    const { bot } = await setup();
    const answer = await bot.answer(command(line));
    expect(answer.command).toBe('me');
    expect(toPlainText(answer.replies[0] as Reply)).toContain('내 공부');
  });
});
