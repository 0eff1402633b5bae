/**
 * From the outside, on the running bot process in Slack HTTP mode: requests that are not Slack's (forged, replayed
 * stale, unsigned, tampered after signing) are refused with 401 and change nothing; command text full of mention
 * markup is answered with text that cannot ping anyone; SIGTERM drains what was acknowledged before exiting.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { blockActionsBody, type FakeSlack, signSlackRequest, slashCommandBody } from '../fakes/slack.ts';
import type { BotProcess } from './child.ts';
import {
  ADMIN,
  answerTo,
  click,
  command,
  deliver,
  MONDAY_0800,
  metric,
  metricsOf,
  Proof,
  postedQuestion,
  responseText,
  SECRET,
  TEAM,
  until,
} from './rig.ts';

const FORM = 'application/x-www-form-urlencoded';
const MENTIONS = ['<!channel>', '<!here>', '<!everyone>', '@everyone', '<@U123>', '<!subteam^S1>'];
/** Markup Slack turns into a notification: special mentions, user mentions, user-group mentions. */
const PINGS = /<!(channel|here|everyone|subteam\^)|<@[UW]/;
/** A bare @here/@channel/@everyone not broken by the renderer's zero-width space. */
const BARE = /(^|[^\u200b])@(here|channel|everyone)\b/;

describe('the running bot process over HTTP, from the outside', () => {
  // One process for all cases (a start-up is the expensive part), in order: the signature case first, on fresh
  // metrics; the SIGTERM case last, as it ends the process.
  const proof = new Proof();
  let fake: FakeSlack;
  let bot: BotProcess;
  beforeAll(async () => {
    fake = await proof.fakeSlack();
    bot = await proof.bot('bot', fake, await proof.store('sqlite'), MONDAY_0800);
  }, 60_000);
  afterAll(() => proof.close(false), 60_000);

  it('refuses forged, stale replayed, unsigned and tampered requests with 401, and none of them changes anything', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    const channelKey = `slack:${TEAM}:CATTACK`;
    // What an attacker wants: an admin's schedule change in a channel that has none.
    const body = slashCommandBody({
      text: 'schedule daily 09:00 UTC',
      team_id: TEAM,
      user_id: ADMIN,
      channel_id: 'CATTACK',
      response_url: fake.responseUrl('attack'),
    });
    const now = Math.floor(Date.now() / 1000);
    // A harmless request a member really sent, captured with its valid signature; its body is then rewritten.
    const captured = slashCommandBody({ text: 'help', team_id: TEAM, user_id: 'U1', channel_id: 'CATTACK' });
    const click = blockActionsBody({
      action_id: 'quiz.answer:0',
      value: JSON.stringify({ a: 'quiz.answer', v: 'round:0:0' }),
      user: 'U1',
      team_id: TEAM,
      channel: 'CATTACK',
      response_url: fake.responseUrl('attack-click'),
    });
    const attacks: [string, string, Record<string, string>][] = [
      ['forged (signed with another secret)', body, signSlackRequest('not-the-secret', body)],
      [
        'replayed with a stale timestamp (6 minutes old, validly signed)',
        body,
        signSlackRequest(SECRET, body, now - 360),
      ],
      ['unsigned', body, { 'Content-Type': FORM }],
      [
        'signature without timestamp',
        body,
        { 'Content-Type': FORM, 'X-Slack-Signature': signSlackRequest(SECRET, body)['X-Slack-Signature'] },
      ],
      ['tampered after signing', body, signSlackRequest(SECRET, captured)],
      ['a forged button press', click, signSlackRequest('not-the-secret', click)],
    ];
    for (const [name, payload, headers] of attacks)
      expect(await deliver(bot, payload, headers), name).toBe(401);

    // Give a wrongly accepted request every chance to show its effects before looking.
    const control = await command(bot, fake, 'help', { user: 'U1', channel: 'CCONTROL' });
    await answerTo(fake, control);
    expect(fake.responses.map((r) => r.id)).toEqual([control]);
    expect(fake.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(await bot.call({ cmd: 'store', method: 'getChannel', args: [channelKey] })).toBeNull();
    const metrics = await metricsOf(bot);
    expect(metric(metrics, 'orch_commands_total')).toBe(1);
    expect(metric(metrics, 'orch_commands_total', { command: 'schedule' })).toBe(0);
    expect(metric(metrics, 'orch_quiz_answers_total')).toBe(0);

    // The same request, properly signed, does what the attacks could not: they were refused for their signatures.
    expect(await deliver(bot, body)).toBe(200);
    expect(responseText(await answerTo(fake, 'attack'))).toContain('Scheduled: daily 09:00');
    expect(await bot.call({ cmd: 'store', method: 'getChannel', args: [channelKey] })).toMatchObject({
      cron: expect.any(String),
    });
  });

  it('answers command text full of mention markup with text that cannot ping anyone', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    const all = MENTIONS.join(' ');
    // The member's display name is markup too: it comes back in channel messages ("Round stopped by ...", scores).
    const who = { user: 'U1', channel: 'CMENTION', name: all };
    const texts = [
      ...MENTIONS,
      ...MENTIONS.map((m) => `${m} istio`),
      `tool ${all}`,
      `search ${all}`,
      `compare ${MENTIONS[0]} vs ${MENTIONS[4]}`,
      `lesson ${all}`,
      `ask what is ${all}?`,
      `${all} [click](https://evil.example) <https://evil.example|login>`,
      `quiz ${all}`,
    ];
    const ids = [];
    for (const text of texts) ids.push(await command(bot, fake, text, who));
    const question = await until(() => postedQuestion(fake, 'CMENTION', 0), 'the quiz question');
    ids.push(await click(bot, fake, question, 'U2', 0, 'CMENTION', all));
    await answerTo(fake, ids.at(-1) as string);
    ids.push(await command(bot, fake, 'quiz stop', who));
    const answers = await Promise.all(ids.map((id) => answerTo(fake, id)));
    expect(answers).toHaveLength(texts.length + 2);
    const stopped = responseText(answers.at(-1));
    expect(stopped).toContain('Round stopped by');
    expect(stopped).toContain('"in_channel"');

    // Everything that reached Slack from this process: the answers and every message it posted or edited.
    const sent = [
      ...answers.map((a) => responseText(a)),
      ...fake.calls.filter((c) => c.method.startsWith('chat.')).map((c) => JSON.stringify(c.args)),
    ];
    for (const text of sent) {
      expect(text).not.toMatch(PINGS);
      expect(text).not.toMatch(BARE);
      expect(text).not.toMatch(/<https:\/\/evil/);
    }
    // The name was shown, made inert (no angle brackets around it, a zero-width space after @), not dropped.
    expect(stopped).toContain('!channel');
    expect(stopped).toContain('!subteam^S1');
    expect(stopped).toContain('@\u200beveryone');
  });

  it('on SIGTERM answers every request it acknowledged, then exits with code 0', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    // Acknowledged (HTTP 200) but still being answered when the signal arrives: a graceful stop finishes them.
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        command(bot, fake, i % 2 ? 'istio' : 'help', { channel: 'CTERM' }),
      ),
    );
    const exit = await bot.terminate();
    expect(exit).toEqual({ code: 0, signal: null });
    for (const id of ids)
      expect(
        fake.responses.some((r) => r.id === id),
        id,
      ).toBe(true);
  });
});
