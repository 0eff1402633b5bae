// Comparisons on Slack as a Block Kit table block (in the message's attachments, as Slack's table block reference
// places it), with the text fallback keeping every field. The fake checks the table's shape as the reference states
// it, so a broken table fails here as Slack would refuse it.
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { comparisonTable, renderSlack, type SlackTableBlock } from '../../adapters/slack/render.ts';
import type { Reply } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import { type FakeSlack, slashCommandPayload, startFakeSlack } from '../fakes/slack.ts';
import { command, realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { socketModeConfig } from '../helpers/slack-config.ts';
import { waitFor } from './contract.ts';

const catalog = await realCatalog();
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function fakeOnly(): Promise<{ fake: FakeSlack; client: WebClient }> {
  const fake = await startFakeSlack();
  stops.push(() => fake.close());
  const client = new WebClient('xoxb-1', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  return { fake, client };
}

const cell = (text: string) => ({ type: 'raw_text', text });
const table = (rows: unknown[][], extra: Record<string, unknown> = {}) => ({ type: 'table', rows, ...extra });

async function rig() {
  const { fake } = await fakeOnly();
  const config = socketModeConfig(fake.apiUrl);
  const store = await openStore({ sqlitePath: ':memory:' });
  const { app, client, attach } = createSlackApp({ config, logger: silentLogger, retries: 0 });
  const poster = new SlackPoster(client);
  const clock = new ManualClock(Date.parse('2026-12-09T03:00:00Z'));
  attach(createBot({ catalog, store, poster, clock, timers: noTimers, defaultLang: 'en' }));
  await app.start();
  await fake.socketConnected();
  stops.push(async () => {
    await app.stop();
    await store.close();
  });
  return { fake, poster };
}

/** What `/orch <text>` answers, as the bot's reply (with its meta). */
async function answerTo(text: string): Promise<Reply> {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-12-09T03:00:00Z'));
  const bot = createBot({
    catalog,
    store,
    poster: { post: async () => ({ messageId: 'x' }) },
    clock,
    timers: noTimers,
    defaultLang: 'en',
  });
  const [reply] = await bot.handle(command(text));
  await store.close();
  if (!reply) throw new Error(`no answer to ${text}`);
  return reply;
}

describe('the fake Slack checks a table block as the table block reference states it', () => {
  const post = (client: WebClient, t: unknown, where: 'attachments' | 'blocks' = 'attachments') =>
    client.chat.postMessage({
      channel: 'C1',
      text: 'fallback',
      ...(where === 'attachments' ? { attachments: [{ blocks: [t as never] }] } : { blocks: [t as never] }),
    });

  it('accepts a table of raw_text cells with column settings (null skips a column)', async () => {
    const { client, fake } = await fakeOnly();
    const ok = table(
      [
        [cell('Aspect'), cell('Istio')],
        [cell('Maturity'), cell('graduated')],
      ],
      { column_settings: [null, { align: 'right', is_wrapped: true }] },
    );
    await expect(post(client, ok)).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it.each([
    ['an empty cell', table([[cell('')]])],
    ['no rows', table([])],
    ['21 cells in a row', table([Array.from({ length: 21 }, (_, i) => cell(`c${i}`))])],
    ['101 rows', table(Array.from({ length: 101 }, (_, i) => [cell(`r${i}`)]))],
    ['an unknown cell type', table([[{ type: 'mrkdwn', text: 'x' }]])],
    ['an unknown alignment', table([[cell('x')]], { column_settings: [{ align: 'middle' }] })],
    ['21 column settings', table([[cell('x')]], { column_settings: Array.from({ length: 21 }, () => null) })],
  ])('refuses %s', async (_, broken) => {
    const { client } = await fakeOnly();
    await expect(post(client, broken)).rejects.toMatchObject({ data: { error: 'invalid_attachments' } });
    await expect(post(client, broken, 'blocks')).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });

  it('refuses a second table in one message', async () => {
    const { client } = await fakeOnly();
    const one = table([[cell('x')]]);
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'x', attachments: [{ blocks: [one, one] as never }] }),
    ).rejects.toMatchObject({ data: { error: 'invalid_attachments' } });
  });
});

describe('a comparison rendered for Slack', () => {
  it('puts the fields into one table (a column per tool, a row per field) and keeps them all in the text', async () => {
    const reply = await answerTo('istio vs linkerd');
    expect(reply.meta?.intent).toBe('compare');
    const compared = comparisonTable(reply);
    if (!compared) throw new Error('no table for a comparison');
    const rows = compared.table.rows.map((row) => row.map((c) => c.text));
    expect(rows[0]).toEqual(['Aspect', 'Istio', 'Linkerd']);
    expect(rows.map((r) => r[0])).toEqual([
      'Aspect',
      'Category',
      'CNCF maturity',
      'Key concepts',
      'When to pick it',
    ]);
    expect(rows.every((r) => r.length === 3 && r.every((text) => text.length > 0))).toBe(true);
    const message = renderSlack(reply, { tables: true });
    expect(message.attachments).toEqual([{ blocks: [compared.table] }]);
    // The fields are in the table, not in the blocks as well; the tools' lines and the hint stay.
    expect(message.blocks.some((b) => b.type === 'section' && 'fields' in b)).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain('Istio');
    // The text fallback (notifications, screen readers) still reads every field.
    for (const value of rows.slice(1).flatMap((r) => r.slice(1)))
      expect(message.text).toContain(value.slice(0, 20));
  });

  it('labels the table in Korean for a Korean question, and renders no table without `tables` (views)', async () => {
    const reply = await answerTo('이스티오 vs 링커디');
    const ko = renderSlack(reply, { tables: true }).attachments?.[0]?.blocks[0] as SlackTableBlock;
    expect(ko.rows[0]?.[0]?.text).toBe('항목');
    const plain = renderSlack(reply);
    expect(plain.attachments).toBeUndefined();
    expect(plain.blocks.some((b) => b.type === 'section' && 'fields' in b)).toBe(true);
  });

  it('renders a single tool card with section fields, not a table', async () => {
    const reply = await answerTo('istio');
    expect(renderSlack(reply, { tables: true }).attachments).toBeUndefined();
  });
});

describe('/orch A vs B through real Bolt', () => {
  it('answers with the table the fake accepts, beside the text fallback', async () => {
    const { fake } = await rig();
    await fake.sendEnvelope(
      'slash_commands',
      slashCommandPayload({
        text: 'istio vs linkerd',
        user_id: 'U1',
        channel_id: 'C1',
        response_url: fake.responseUrl('cmp'),
      }),
    );
    const answer = await waitFor(() => fake.responses.find((r) => r.id === 'cmp'), 'the comparison');
    const body = answer.body as { text: string; attachments?: { blocks: SlackTableBlock[] }[] };
    const t = body.attachments?.[0]?.blocks[0];
    expect(t?.type).toBe('table');
    expect(t?.rows[0]?.map((c) => c.text)).toEqual(['Aspect', 'Istio', 'Linkerd']);
    expect(body.text).toContain('Linkerd');
  });

  it('posts a comparison through the poster with its table', async () => {
    const { fake, poster } = await rig();
    const reply = await answerTo('istio vs linkerd');
    await poster.post('slack:T1:CP', reply, 'cmp:1');
    const args = fake.callsTo('chat.postMessage').at(-1)?.args as {
      attachments?: { blocks: { type: string }[] }[];
    };
    expect(args.attachments?.[0]?.blocks[0]?.type).toBe('table');
    expect(fake.history('CP')).toHaveLength(1);
  });
});

describe('a comparison too wide for a table', () => {
  it('keeps section fields for six tools or more, so the totals still name the tools left out', async () => {
    const names = catalog.tools.filter((x) => x.source === 'curated').map((x) => x.name);
    const reply = await answerTo(names.slice(0, 6).join(' vs '));
    expect(reply.meta?.toolIds).toHaveLength(6);
    expect(comparisonTable(reply)).toBeNull();
    expect(renderSlack(reply, { tables: true }).attachments).toBeUndefined();
    const five = await answerTo(names.slice(0, 5).join(' vs '));
    expect(comparisonTable(five)?.table.rows[0]).toHaveLength(6);
  });
});
