// The weekly digest's card through each platform's real file API, with the real SDK clients against the wire fakes:
// Slack's upload v2 (getUploadURLExternal, the upload URL, completeUploadExternal), Discord's multipart message.
// Then the whole week boundary: the digest service, two replicas on one SQLite file, each posting through its own
// client, and a post that died after the platform took it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { DigestService } from '../../src/digest/digest-service.ts';
import type { Poster, Reply, Store } from '../../src/index.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { silentLogger } from '../../src/testing.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { startFakeSlack } from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock, MINUTE } from '../helpers/clock.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 0, 255, 254]);
const digestReply = (filename = 'orch-digest-2026-12-06.png'): Reply => ({
  visibility: 'channel',
  blocks: [
    { type: 'heading', text: 'Our week' },
    { type: 'text', text: '1. U2: 300 points' },
  ],
  image: { png: new Uint8Array(PNG), filename, alt: 'Weekly digest card: 1. U2 300' },
});

async function slackRig(options: Parameters<typeof startFakeSlack>[0] = {}) {
  const fake = await startFakeSlack(options);
  closers.push(() => fake.close());
  const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  return { fake, poster: new SlackPoster(client) };
}

async function discordRig(options: Parameters<typeof startFakeDiscord>[0] = {}) {
  const fake = await startFakeDiscord(options);
  closers.push(() => fake.close());
  const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken('discord-test-token');
  return { fake, poster: new DiscordPoster(rest) };
}

describe('the digest card on Slack (file upload v2)', () => {
  it('is uploaded with its alt text and shared as one message carrying the blocks; a retry finds it', async () => {
    const { fake, poster } = await slackRig();
    const first = await poster.post('slack:T1:C1', digestReply(), 'digest:slack:T1:C1:1');
    const [asked] = fake.callsTo('files.getUploadURLExternal');
    expect(asked?.args).toMatchObject({ filename: 'orch-digest-2026-12-06.png', length: String(PNG.length) });
    expect(asked?.args.alt_txt).toBe('Weekly digest card: 1. U2 300');
    const [file] = [...fake.files.values()];
    expect(file?.bytes).toEqual(PNG);
    expect(file?.altField).toBe('alt_txt');
    const history = fake.history('C1');
    expect(history).toHaveLength(1);
    expect(history[0]?.files?.[0]?.name).toBe('orch-digest-2026-12-06.png');
    expect(JSON.stringify(history[0]?.blocks)).toContain('1. U2: 300 points');
    expect(first.messageId).toBe(history[0]?.ts);

    // The process died after Slack shared it and before the ledger's mark: the retry posts nothing new.
    const again = await poster.post('slack:T1:C1', digestReply(), 'digest:slack:T1:C1:1');
    expect(again.messageId).toBe(first.messageId);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(fake.history('C1')).toHaveLength(1);
  });

  it('a workspace that refuses the file still gets the digest as text; a failed completion is an error to retry', async () => {
    const refused = await slackRig({ maxUploadBytes: 4 });
    await refused.poster.post('slack:T1:C1', digestReply(), 'digest:k');
    const [message] = refused.fake.history('C1');
    expect(message?.files).toBeUndefined();
    expect(JSON.stringify(message?.blocks)).toContain('Our week');

    const broken = await slackRig();
    broken.fake.failNext('files.completeUploadExternal', { error: 'internal_error' });
    await expect(broken.poster.post('slack:T1:C1', digestReply(), 'digest:k')).rejects.toThrow();
    expect(broken.fake.history('C1')).toHaveLength(0);
    // The retry uploads again (the first file was never shared) and posts once.
    await broken.poster.post('slack:T1:C1', digestReply(), 'digest:k');
    expect(broken.fake.history('C1')).toHaveLength(1);
  });

  it('the fake refuses what Slack refuses: an empty length, alt text over 1,000 characters, an unknown file', async () => {
    const { fake } = await slackRig();
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const error = (call: Promise<unknown>) =>
      call.then(
        () => 'ok',
        (e: { data?: { error?: string } }) => e.data?.error,
      );
    expect(await error(client.files.getUploadURLExternal({ filename: 'a.png', length: 0 }))).toBe(
      'missing_argument',
    );
    expect(
      await error(
        client.apiCall('files.getUploadURLExternal', {
          filename: 'a.png',
          length: 3,
          alt_txt: 'x'.repeat(1001),
        }),
      ),
    ).toBe('alt_txt_too_large');
    expect(
      await error(client.files.completeUploadExternal({ files: [{ id: 'F404' }], channel_id: 'C1' })),
    ).toBe('file_not_found');
  });
});

describe('the digest card on Discord (multipart attachment)', () => {
  it('goes in the same request as the message, with its description; the nonce keeps a retry to one message', async () => {
    const { fake, poster } = await discordRig();
    const channel = '400000000000000001';
    const first = await poster.post(`discord:G1:${channel}`, digestReply(), 'digest:discord:G1:1');
    const stored = fake.messages.get(channel) ?? [];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.files?.[0]).toMatchObject({
      id: 0,
      filename: 'orch-digest-2026-12-06.png',
      description: 'Weekly digest card: 1. U2 300',
      contentType: 'image/png',
    });
    expect(stored[0]?.files?.[0]?.bytes).toEqual(PNG);
    expect(stored[0]?.message.attachments).toHaveLength(1);
    const again = await poster.post(`discord:G1:${channel}`, digestReply(), 'digest:discord:G1:1');
    expect(again.messageId).toBe(first.messageId);
    expect(fake.messages.get(channel)).toHaveLength(1);
  });

  it('a card over the upload limit (413, 40005) leaves the message without it', async () => {
    const { fake, poster } = await discordRig({ maxUploadBytes: 64 });
    const channel = '400000000000000001';
    await poster.post(`discord:G1:${channel}`, digestReply(), 'digest:k');
    const stored = fake.messages.get(channel) ?? [];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.files).toBeUndefined();
    expect(JSON.stringify(stored[0]?.message)).toContain('Our week');
  });
});

describe('the week boundary through the fakes', () => {
  async function replicas(posterFor: () => Poster) {
    const path = join(await mkdtemp(join(tmpdir(), 'orch-digest-')), 'orch.db');
    const stores: Store[] = [];
    for (let i = 0; i < 2; i++) {
      const store = await openSqliteStore(path);
      await store.migrate();
      stores.push(store);
      closers.push(() => store.close());
    }
    const catalog = await realCatalog();
    const clock = new ManualClock(Date.parse('2026-12-07T00:01:00Z'));
    return {
      stores: stores as [Store, Store],
      clock,
      services: stores.map(
        (store, i) =>
          new DigestService({
            store,
            catalog: () => catalog,
            poster: posterFor(),
            clock,
            logger: silentLogger,
            instanceId: `replica-${i}`,
            defaultLang: 'ko',
          }),
      ),
    };
  }

  const schedule = { scheduleText: 'weekdays 09:00', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul' };

  it('Slack: two replicas at the boundary post one digest with its card; Korean text and alt text', async () => {
    const fake = await startFakeSlack();
    closers.push(() => fake.close());
    const poster = () =>
      new SlackPoster(new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }));
    const { stores, clock, services } = await replicas(poster);
    await stores[0].updateChannel(
      'slack:T1:C1',
      { ...schedule, nextFireAt: Date.parse('2026-12-07T00:00:00Z') },
      0,
    );
    const now = clock.now().getTime();
    const reports = await Promise.all(services.map((s) => s.pass(now)));
    expect(reports.reduce((sum, r) => sum + r.posted, 0)).toBe(1);
    const history = fake.history('C1');
    expect(history).toHaveLength(1);
    expect(JSON.stringify(history[0]?.blocks)).toContain('주간 요약: ');
    const file = [...fake.files.values()][0];
    expect(file?.bytes?.subarray(0, 4)).toEqual(PNG.subarray(0, 4));
    expect(file?.alt).toMatch(/^주간 요약 카드예요/);
    // A later pass that week, by either replica: nothing more.
    clock.advance(10 * MINUTE);
    await Promise.all(services.map((s) => s.pass(clock.now().getTime())));
    expect(fake.history('C1')).toHaveLength(1);
  });

  it('Discord: two replicas at the boundary post one message with the card attached', async () => {
    const fake: FakeDiscord = await startFakeDiscord();
    closers.push(() => fake.close());
    const channel = '400000000000000001';
    const poster = () => new DiscordPoster(new REST({ api: fake.apiUrl, retries: 0 }).setToken('t'));
    const { stores, clock, services } = await replicas(poster);
    await stores[0].updateChannel(
      `discord:G1:${channel}`,
      { ...schedule, nextFireAt: Date.parse('2026-12-07T00:00:00Z') },
      0,
    );
    const reports = await Promise.all(services.map((s) => s.pass(clock.now().getTime())));
    expect(reports.reduce((sum, r) => sum + r.posted, 0)).toBe(1);
    const stored = fake.messages.get(channel) ?? [];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.files?.[0]?.description).toMatch(/^주간 요약 카드예요/);
    expect(stored[0]?.files?.[0]?.bytes.subarray(0, 4)).toEqual(PNG.subarray(0, 4));
  });

  it('Discord: a replica killed after Discord took the post, before its mark, is finished by the other with one message', async () => {
    const fake: FakeDiscord = await startFakeDiscord();
    closers.push(() => fake.close());
    const channel = '400000000000000001';
    const poster = () => new DiscordPoster(new REST({ api: fake.apiUrl, retries: 0 }).setToken('t'));
    const { stores, clock } = await replicas(poster);
    await stores[0].updateChannel(
      `discord:G1:${channel}`,
      { ...schedule, nextFireAt: Date.parse('2026-12-07T00:00:00Z') },
      0,
    );
    const catalog = await realCatalog();
    const dying = new DigestService({
      store: stores[0],
      catalog: () => catalog,
      poster: poster(),
      clock,
      logger: silentLogger,
      instanceId: 'dies',
      defaultLang: 'en',
      onStep: (step) => {
        if (step === 'posted') throw new Error('kill -9');
      },
    });
    await expect(dying.pass(clock.now().getTime())).rejects.toThrow('kill -9');
    const survivor = new DigestService({
      store: stores[1],
      catalog: () => catalog,
      poster: poster(),
      clock,
      logger: silentLogger,
      instanceId: 'survives',
      defaultLang: 'en',
    });
    clock.advance(3 * MINUTE);
    expect((await survivor.pass(clock.now().getTime())).posted).toBe(1);
    const stored = fake.messages.get(channel) ?? [];
    expect(stored).toHaveLength(1);
    expect(stored[0]?.files).toHaveLength(1);
    expect((await stores[1].digests(`discord:G1:${channel}`, 2))[0]?.status).toBe('posted');
  });
});
