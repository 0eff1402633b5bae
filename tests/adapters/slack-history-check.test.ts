import { afterEach, describe, expect, it } from 'vitest';
import { slackPlatform } from '../../adapters/slack/platform.ts';
import { loadConfig, textReply } from '../../src/index.ts';
import { silentLogger } from '../../src/testing.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';

// SLACK_HISTORY_CHECK decides whether a post reads the channel's history (or its thread) for an earlier attempt
// under the same key. These tests go from the environment through loadConfig and the server's Slack platform to
// the real WebClient and the fake Slack, so the wiring is under test, not only the poster.

const open: { fake: FakeSlack; stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const rig of open.splice(0)) await rig.stop();
});

async function rig(historyCheck: string | undefined) {
  const fake = await startFakeSlack();
  const loaded = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 's',
      SLACK_MODE: 'http',
      PORT: '0',
      SLACK_API_URL: fake.apiUrl,
      ...(historyCheck === undefined ? {} : { SLACK_HISTORY_CHECK: historyCheck }),
    },
    '/app',
  );
  if (!loaded.ok || !loaded.config.slack) throw new Error(`config refused: ${JSON.stringify(loaded)}`);
  const platform = slackPlatform({
    config: loaded.config.slack,
    logger: silentLogger,
    retries: 0,
    retryMinTimeoutMs: 10,
  });
  const poster = platform.poster;
  if (!poster) throw new Error('the Slack platform has no poster');
  const r = { fake, poster, stop: () => fake.close() };
  open.push(r);
  return r;
}

const reads = (fake: FakeSlack) =>
  fake.callsTo('conversations.history').length + fake.callsTo('conversations.replies').length;

describe('SLACK_HISTORY_CHECK', () => {
  it('is on by default: a post retried after a crash finds its first attempt and posts once', async () => {
    const r = await rig(undefined);
    const first = await r.poster.post('slack:T1:CH', textReply('lesson 3'), 'lesson:CH:3');
    const again = await r.poster.post('slack:T1:CH', textReply('lesson 3'), 'lesson:CH:3');
    expect(again.messageId).toBe(first.messageId);
    expect(r.fake.history('CH')).toHaveLength(1);
    expect(r.fake.callsTo('conversations.history')).toHaveLength(2);
    // A thread post is looked for among the thread's replies.
    const reply = { ...textReply('question 1'), thread: { anchorId: first.messageId } };
    const q1 = await r.poster.post('slack:T1:CH', reply, 'quiz:r:0:question');
    expect((await r.poster.post('slack:T1:CH', reply, 'quiz:r:0:question')).messageId).toBe(q1.messageId);
    expect(r.fake.callsTo('conversations.replies')).toHaveLength(2);
  });

  it('off: no post reads the history or a thread, and each still carries its key in the metadata', async () => {
    const r = await rig('off');
    const lesson = await r.poster.post('slack:T1:CH', textReply('lesson 3'), 'lesson:CH:3');
    const reply = { ...textReply('question 1'), thread: { anchorId: lesson.messageId } };
    await r.poster.post('slack:T1:CH', reply, 'quiz:r:0:question');
    expect(reads(r.fake)).toBe(0);
    const posts = r.fake.callsTo('chat.postMessage');
    expect(posts.map((p) => p.args.metadata)).toEqual([
      { event_type: 'orch_post', event_payload: { key: 'lesson:CH:3' } },
      { event_type: 'orch_post', event_payload: { key: 'quiz:r:0:question' } },
    ]);
    // A reveal still edits its question in place (chat.update), which needs no lookup either.
    await r.poster.post(
      'slack:T1:CH',
      { ...textReply('revealed'), replaces: { channelKey: 'slack:T1:CH', messageId: lesson.messageId } },
      'quiz:r:0:reveal',
    );
    expect(r.fake.history('CH').find((m) => m.ts === lesson.messageId)?.edits).toHaveLength(1);
    expect(reads(r.fake)).toBe(0);
  });

  it('off: what is lost is the repair of a crash between the post and the ledger mark (the retry posts again)', async () => {
    // The ledger hands a key to one poster once; only a retry of a post the ledger did not see succeed (the
    // process died after Slack accepted it) asks again. Without the lookup that retry cannot know, as the README says.
    const r = await rig('off');
    await r.poster.post('slack:T1:CH', textReply('lesson 3'), 'lesson:CH:3');
    await r.poster.post('slack:T1:CH', textReply('lesson 3'), 'lesson:CH:3');
    expect(r.fake.history('CH')).toHaveLength(2);
    expect(reads(r.fake)).toBe(0);
  });

  it('refuses a value that is neither on nor off', () => {
    const bad = loadConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's',
        SLACK_MODE: 'http',
        SLACK_HISTORY_CHECK: 'sometimes',
      },
      '/app',
    );
    expect(bad.ok ? [] : bad.problems).toEqual(['SLACK_HISTORY_CHECK must be on or off, not "sometimes"']);
  });
});
