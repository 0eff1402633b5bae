// Slack's Home tab through the real Bolt app against the wire fake: 내 공부 is published when a member opens it,
// a review started from it runs privately in the member's direct messages, and it is published again after a press.
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { decodeActionValue } from '../../adapters/slack/render.ts';
import type { Store } from '../../src/index.ts';
import { nextCard } from '../../src/quiz/review.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import {
  blockActionsPayload,
  eventCallbackPayload,
  type FakeSlack,
  startFakeSlack,
  viewSubmissionPayload,
} from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { socketModeConfig } from '../helpers/slack-config.ts';
import { waitFor } from './contract.ts';

const catalog = await realCatalog();
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
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

interface SlackButtonJson {
  action_id?: string;
  value?: string;
  text?: { text?: string };
}
type BlockJson = { type: string; elements?: SlackButtonJson[]; text?: { text?: string } };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig() {
  const fake: FakeSlack = await startFakeSlack({
    users: [
      { id: 'U1', name: 'mina' },
      { id: 'UADMIN', name: 'admin', is_admin: true },
    ],
  });
  const config = socketModeConfig(fake.apiUrl);
  const clock = new ManualClock(Date.parse('2026-12-09T03:00:00Z'));
  const store: Store = await openStore({ sqlitePath: ':memory:' });
  const { app, client, attach } = createSlackApp({
    config,
    logger: silentLogger,
    retries: 0,
    retryMinTimeoutMs: 10,
    homeRefreshMs: 0,
  });
  const bot = createBot({
    catalog,
    store,
    poster: new SlackPoster(client),
    clock,
    timers: noTimers,
    defaultLang: 'en',
  });
  attach(bot);
  await app.start();
  await fake.socketConnected();
  stops.push(async () => {
    await app.stop();
    await fake.close();
    await store.close();
  });
  const now = clock.now().getTime();
  for (const lesson of [1, 2])
    await store.recordCompletion({
      channelKey: 'slack:T1:C1',
      userId: 'U1',
      lesson,
      completedAt: now - 5000,
    });
  const { card } = nextCard(null, false, now - 86_400_000);
  await store.saveReviewCard({
    userKey: 'slack:T1:U1',
    questionId: 'q-home',
    question,
    card,
    dueAt: now - 1,
  });
  const openHome = (user: string) =>
    fake.sendEnvelope('events_api', eventCallbackPayload(fake.appHomeOpenedEvent(user, `D${user}`)));
  const homeBlocks = (user: string): BlockJson[] =>
    (fake.homeViews.get(user)?.view.blocks ?? []) as BlockJson[];
  const buttonsOf = (blocks: BlockJson[]) =>
    blocks
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .map((e) => ({ ...e, decoded: e.value ? decodeActionValue(e.value) : null }));
  return { fake, store, clock, openHome, homeBlocks, buttonsOf };
}

describe('Slack Home tab (내 공부) through real Bolt', () => {
  it('publishes the personal view when a member opens Home, with Open, Done and Start review', async () => {
    const { fake, openHome, homeBlocks, buttonsOf } = await rig();
    await openHome('U1');
    const view = await waitFor(() => fake.homeViews.get('U1'), 'the Home view');
    expect(view.view.type).toBe('home');
    const text = JSON.stringify(view.view.blocks);
    expect(text).toContain('My study');
    expect(text).toContain('Reviews due: 1');
    const actions = buttonsOf(homeBlocks('U1')).map((b) => b.decoded?.actionId);
    expect(actions).toEqual(expect.arrayContaining(['home.open', 'home.done', 'review.start']));
    // Not an admin: no settings button; nothing was posted anywhere else.
    expect(actions).not.toContain('settings.open');
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
    // The Messages tab opens the event too; it publishes nothing.
    await fake.sendEnvelope(
      'events_api',
      eventCallbackPayload({ ...fake.appHomeOpenedEvent('U1'), tab: 'messages' }),
    );
    // The next Home open publishes the second view: the Messages tab's event published none in between.
    await openHome('U1');
    await waitFor(() => fake.homeViews.get('U1')?.history[1], 'the second Home view');
    expect(fake.callsTo('views.publish')).toHaveLength(2);
  });

  it('starts a review from Home in the DMs, answers it there, and publishes Home again after the press', async () => {
    const { fake, store, clock, openHome, homeBlocks, buttonsOf } = await rig();
    await openHome('U1');
    await waitFor(() => fake.homeViews.get('U1'), 'the Home view');
    const start = buttonsOf(homeBlocks('U1')).find((b) => b.decoded?.actionId === 'review.start');
    await fake.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: start?.action_id ?? '',
        value: start?.value ?? '',
        user: 'U1',
        home_view_id: fake.homeViews.get('U1')?.id ?? '',
      }),
    );
    // The question goes to the member's direct messages: private, and nowhere in a channel.
    const asked = await waitFor(() => fake.history('U1')[0], 'the review question in the DMs');
    expect(asked.text).toContain('Which one schedules pods?');
    expect(fake.ephemerals).toEqual([]);
    const right = buttonsOf(asked.blocks as BlockJson[]).find((b) => b.text?.text?.includes('scheduler'));
    const published = fake.callsTo('views.publish').length;
    await fake.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: right?.action_id ?? '',
        value: right?.value ?? '',
        user: 'U1',
        channel: 'DU1',
        response_url: fake.responseUrl('answer'),
      }),
    );
    const feedback = await waitFor(() => fake.responses.find((r) => r.id === 'answer'), 'the feedback');
    expect(JSON.stringify(feedback.body)).toContain('Right!');
    expect(await store.countDueReviews('slack:T1:U1', clock.now().getTime())).toBe(0);
    await waitFor(
      () => (fake.callsTo('views.publish').length > published ? true : undefined),
      'Home published again',
    );
    await waitFor(
      () => (JSON.stringify(homeBlocks('U1')).includes('No reviews due') ? true : undefined),
      'Home without reviews due',
    );
  });

  it('records Done pressed on Home in the channel it names and shows the next lesson', async () => {
    const { fake, store, openHome, homeBlocks, buttonsOf } = await rig();
    await openHome('U1');
    await waitFor(() => fake.homeViews.get('U1'), 'the Home view');
    expect(JSON.stringify(homeBlocks('U1'))).toContain('Next: lesson 3');
    const done = buttonsOf(homeBlocks('U1')).find((b) => b.decoded?.actionId === 'home.done');
    await fake.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: done?.action_id ?? '',
        value: done?.value ?? '',
        user: 'U1',
        home_view_id: fake.homeViews.get('U1')?.id ?? '',
      }),
    );
    await waitFor(
      () => (JSON.stringify(homeBlocks('U1')).includes('Next: lesson 4') ? true : undefined),
      'Home after Done',
    );
    expect(await store.completions('slack:T1:C1', 'U1')).toEqual([1, 2, 3]);
    // The receipt went to the member's DMs, as a Home press has no other private place.
    expect(fake.history('U1').at(-1)?.text).toContain('3');
  });

  it("opens the settings form of the channel an admin's Home button names, and the submission changes that channel", async () => {
    const { fake, store, clock, openHome, homeBlocks, buttonsOf } = await rig();
    await store.recordCompletion({
      channelKey: 'slack:T1:C1',
      userId: 'UADMIN',
      lesson: 1,
      completedAt: clock.now().getTime(),
    });
    await openHome('UADMIN');
    await waitFor(() => fake.homeViews.get('UADMIN'), 'the Home view');
    const settings = buttonsOf(homeBlocks('UADMIN')).find((b) => b.decoded?.actionId === 'settings.open');
    expect(settings).toBeDefined();
    await fake.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: settings?.action_id ?? '',
        value: settings?.value ?? '',
        user: 'UADMIN',
        home_view_id: fake.homeViews.get('UADMIN')?.id ?? '',
      }),
    );
    // The press's trigger id opened the modal: the channel's form, naming C1 in its listing's place.
    const opened = await waitFor(() => fake.views[0], 'views.open');
    expect(JSON.stringify(opened.view.blocks)).toContain('static_select');
    expect(fake.history('UADMIN')).toEqual([]);
    const ack = await fake.sendEnvelope(
      'interactive',
      viewSubmissionPayload({ view: opened, user: 'UADMIN', values: { lang: 'ko', threads: 'off' } }),
    );
    expect((ack.payload as { response_action?: string } | undefined)?.response_action).toBe('update');
    expect((await store.getChannel('slack:T1:C1'))?.lang).toBe('ko');
    expect((await store.getChannel('slack:T1:C1'))?.threads).toBe(false);
    // The channel that changed is told in the channel; the member's DMs get nothing more.
    const told = await waitFor(() => fake.history('C1')[0], 'the note in C1');
    expect(told.text).toContain('Threads');
    expect(fake.history('UADMIN')).toEqual([]);
  });

  it('refuses a Home settings form submitted by a member who is not an admin, and changes nothing', async () => {
    const { fake, store, clock, openHome, homeBlocks, buttonsOf } = await rig();
    await store.recordCompletion({
      channelKey: 'slack:T1:C1',
      userId: 'UADMIN',
      lesson: 1,
      completedAt: clock.now().getTime(),
    });
    await openHome('UADMIN');
    await waitFor(() => fake.homeViews.get('UADMIN'), 'the Home view');
    const settings = buttonsOf(homeBlocks('UADMIN')).find((b) => b.decoded?.actionId === 'settings.open');
    await fake.sendEnvelope(
      'interactive',
      blockActionsPayload({
        action_id: settings?.action_id ?? '',
        value: settings?.value ?? '',
        user: 'UADMIN',
        home_view_id: fake.homeViews.get('UADMIN')?.id ?? '',
      }),
    );
    const opened = await waitFor(() => fake.views[0], 'views.open');
    // The same modal's payload, sent as another member's (a form is not a permission).
    const ack = await fake.sendEnvelope(
      'interactive',
      viewSubmissionPayload({ view: opened, user: 'U1', values: { lang: 'ko' } }),
    );
    expect(JSON.stringify(ack.payload)).toContain('admin');
    expect(await store.getChannel('slack:T1:C1')).toBeNull();
    expect(fake.history('C1')).toEqual([]);
  });

  it('publishes one Home at a time per member: opens during a publish make one more, not one each', async () => {
    const { fake, openHome } = await rig();
    const hold = fake.holdNext('views.publish');
    await openHome('U1');
    await waitFor(() => (fake.callsTo('views.publish').length === 1 ? true : undefined), 'the first publish');
    for (let i = 0; i < 3; i++) await openHome('U1');
    hold.release();
    await waitFor(() => fake.homeViews.get('U1')?.history[1], 'the one more publish');
    // A further open after both finished still publishes: nothing is left marked as in flight.
    await openHome('U1');
    await waitFor(() => fake.homeViews.get('U1')?.history[2], 'the next publish');
    expect(fake.callsTo('views.publish')).toHaveLength(3);
  });

  it('keeps serving when views.publish fails, and publishes on the next open', async () => {
    const { fake, openHome } = await rig();
    fake.failNext('views.publish', { error: 'invalid_arguments' });
    await openHome('U1');
    await waitFor(() => (fake.callsTo('views.publish').length === 1 ? true : undefined), 'a refused publish');
    expect(fake.homeViews.get('U1')).toBeUndefined();
    await openHome('U1');
    await waitFor(() => fake.homeViews.get('U1'), 'the Home view');
  });
});
