/**
 * The running bot process in Slack Socket Mode, against the fake's Socket Mode server: malformed frames do not end
 * it, and envelopes Slack sends again (the same envelope twice, or every un-acked one after the socket dropped in the
 * middle of a burst) are answered once.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type FakeSlack, slashCommandPayload } from '../fakes/slack.ts';
import type { BotProcess } from './child.ts';
import { answerTo, MONDAY_0800, Proof, responseId, TEAM, until } from './rig.ts';

/** Sends `/orch <text>` as a Socket Mode envelope; resolves with the response id and the ack (settled). */
function socketCommand(
  fake: FakeSlack,
  text: string,
  channel: string,
): { id: string; acked: Promise<unknown> } {
  const id = responseId('socket');
  const payload = slashCommandPayload({
    text,
    team_id: TEAM,
    user_id: 'U1',
    channel_id: channel,
    response_url: fake.responseUrl(id),
  });
  return { id, acked: fake.sendEnvelope('slash_commands', payload, { timeoutMs: 30_000 }) };
}

/** How many answers arrived for each id. */
const answersPer = (fake: FakeSlack, ids: string[]) =>
  ids.map((id) => fake.responses.filter((r) => r.id === id).length);

describe('the running bot process in Socket Mode', () => {
  const proof = new Proof();
  let fake: FakeSlack;
  let bot: BotProcess;
  beforeAll(async () => {
    fake = await proof.fakeSlack();
    bot = await proof.bot('bot', fake, await proof.store('sqlite'), MONDAY_0800, {
      SLACK_MODE: 'socket',
      SLACK_APP_TOKEN: 'xapp-proof',
    });
    await fake.socketConnected();
  }, 60_000);
  afterAll(() => proof.close(false), 60_000);

  it('survives malformed frames and envelopes, acknowledges the envelopes, and keeps answering', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    const envelopes = [
      {
        type: 'events_api',
        envelope_id: 'env-no-event',
        payload: { type: 'event_callback', event_id: 'Ev1' },
      },
      { type: 'events_api', envelope_id: 'env-null-event', payload: { type: 'event_callback', event: null } },
      { type: 'slash_commands', envelope_id: 'env-null-payload', payload: null },
      { type: 'interactive', envelope_id: 'env-string-payload', payload: 'x' },
    ];
    // Each of `null` and the envelope without `event` alone ended the process (a TypeError in the SDK's handler).
    for (const frame of [
      'null',
      '[]',
      '"text"',
      '42',
      '{}',
      '{"type":null}',
      ...envelopes.map((e) => JSON.stringify(e)),
    ])
      fake.sendFrame(frame);
    const { id, acked } = socketCommand(fake, 'help', 'CMALFORMED');
    await acked;
    await answerTo(fake, id);
    expect(bot.alive).toBe(true);
    // Malformed envelopes are acknowledged, so Slack does not send them again.
    await until(
      () => envelopes.every((e) => fake.acks.some((a) => a.envelope_id === e.envelope_id)),
      'the acks of the malformed envelopes',
    );
  });

  it('answers an envelope sent twice once', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    const { id, acked } = socketCommand(fake, 'help', 'CTWICE');
    await acked;
    const envelope = fake.envelopes.at(-1);
    fake.sendFrame(JSON.stringify(envelope));
    await until(
      () => fake.acks.filter((a) => a.envelope_id === envelope?.envelope_id).length === 2,
      'the second ack',
    );
    await answerTo(fake, id);
    // Give a second answer every chance to arrive before counting.
    const control = socketCommand(fake, 'help', 'CTWICE');
    await answerTo(fake, control.id);
    expect(answersPer(fake, [id])).toEqual([1]);
  });

  it('answers each command of a 100-command burst once when the socket drops mid-burst and Slack redelivers', async (ctx) => {
    const { expect } = ctx;
    ctx.onTestFailed(() => proof.printLogs());
    // The first half is answered and acked; then the socket stalls (its acks are lost) while the second half is
    // sent and answered; then it drops, and Slack redelivers the second half on the new socket.
    const first = Array.from({ length: 50 }, (_, i) =>
      socketCommand(fake, i % 2 ? 'help' : 'istio', 'CBURST'),
    );
    await Promise.all(first.map((c) => c.acked));
    fake.stallAcks();
    const second = Array.from({ length: 50 }, (_, i) =>
      socketCommand(fake, i % 2 ? 'help' : 'istio', 'CBURST'),
    );
    await Promise.all(second.map((c) => answerTo(fake, c.id, 60_000)));
    const redelivered = await fake.dropSocket();
    expect(redelivered).toBe(50);
    const burst = [...first, ...second];
    await Promise.all(burst.map((c) => c.acked));
    const ids = burst.map((c) => c.id);
    const control = socketCommand(fake, 'help', 'CBURST');
    await answerTo(fake, control.id);
    const twice = answersPer(fake, ids).filter((n) => n > 1).length;
    expect(twice, `${twice} of 100 answered more than once (${redelivered} redelivered)`).toBe(0);
    // The SDK's own reconnect logging went through the process's JSON log like everything else.
    const lines = bot
      .log()
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
