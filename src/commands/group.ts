import { createHash, randomInt } from 'node:crypto';
import { userKeyOf } from '../channel-key.ts';
import { t } from '../i18n/messages.ts';
import { privateText } from '../reply/model.ts';
import type { JoinOutcome } from '../store/store.ts';
import type { Command, CommandContext } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

/** Letters and digits a person reads and types without mistaking one for another (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
/** A code is for handing over now, in another app: ten minutes, then it is worth nothing. */
export const CODE_TTL_MS = 10 * 60_000;
/** Codes a group may issue in an hour, and refused join attempts a channel may make in ten minutes. */
export const CODES_PER_HOUR = 5;
export const FAILURES_PER_10_MIN = 5;

/** A new join code, as shown: two groups of four (31^8, about 2^40 codes, with five guesses per ten minutes). */
export function newJoinCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** The stored form of a code as typed: case, spaces and dashes do not matter; only the hash is kept. */
export function joinCodeHash(typed: string): string {
  return createHash('sha256').update(typed.toUpperCase().replace(/[\s-]/g, '')).digest('hex');
}

const CODE = ['code', '코드'];
const JOIN = ['join', '참여', '참가'];
const LEAVE = ['leave', '나가기', '탈퇴'];

function actorOf(ctx: CommandContext): string {
  return userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
}

/** The group's channels as a sentence. */
function statusText(ctx: CommandContext, channels: readonly string[]): string {
  if (channels.length === 1) return t(ctx.lang, 'group.alone');
  return t(ctx.lang, 'group.members', { channels: channels.map((k) => `\`${k}\``).join(', ') });
}

async function status(ctx: CommandContext): Promise<string> {
  return statusText(ctx, await ctx.store.groupChannels(ctx.channelKey));
}

const REFUSALS: Record<Exclude<JoinOutcome, 'joined'>, Parameters<typeof t>[1]> = {
  unknown: 'group.unknownCode',
  expired: 'group.expiredCode',
  used: 'group.usedCode',
  same: 'group.sameGroup',
  grouped: 'group.alreadyGrouped',
  throttled: 'group.throttled',
};

/**
 * `/orch group`: one study group across channels, on Slack and Discord alike. An admin of the first channel gets a
 * one-time code (`/orch group code`); an admin of the other hands it in there (`/orch group join <code>`). From then
 * on both share the schedule, the roadmap place and the group pace, and each lesson is posted once in each.
 */
export const group: Command = {
  name: 'group',
  aliases: ['그룹'],
  description: {
    en: 'One study group across channels and platforms',
    ko: '여러 채널과 플랫폼을 한 그룹으로',
  },
  help: {
    group: 'settings',
    example: { en: '/orch group', ko: '/orch 그룹' },
    syntax: [
      {
        usage: { en: '/orch group', ko: '/orch 그룹' },
        what: { en: "the channels of this channel's group", ko: '이 채널과 한 그룹인 채널을 보여 줘요' },
      },
      {
        usage: { en: '/orch group code', ko: '/orch 그룹 코드' },
        what: {
          en: 'a one-time code (10 minutes) for an admin of another channel, on Slack or Discord, to join this group',
          ko: '다른 채널(슬랙이든 디스코드든)의 관리자가 이 그룹에 참여할 때 쓸 일회용 코드를 받아요(10분 동안 쓸 수 있어요)',
        },
      },
      {
        usage: { en: '/orch group join <code> | leave', ko: '/orch 그룹 참여 <코드> | 나가기' },
        what: {
          en: 'join this channel to the group the code is from, or take it out of its group',
          ko: '코드를 받은 그룹에 이 채널을 참여시키거나, 그룹에서 나가요',
        },
      },
    ],
    admin: {
      en: 'codes, joining and leaving: channel admins only',
      ko: '코드, 참여, 나가기는 채널 관리자만 할 수 있어요',
    },
  },
  options: [
    {
      name: 'task',
      description: { en: 'code, join <code> or leave', ko: '코드, 참여 <코드>, 나가기' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const [first = '', ...args] = rest.trim().split(/\s+/).filter(Boolean);
    const word = first.toLowerCase();
    const now = ctx.clock.now().getTime();
    if (word === '' || (['show', '보기'].includes(word) && args.length === 0)) {
      const channels = await ctx.store.groupChannels(ctx.channelKey);
      return { replies: [privateText(statusText(ctx, channels))], data: { action: 'show', channels } };
    }
    if (CODE.includes(word) && args.length === 0) {
      await requireAdmin(ctx, 'what.group', 'group');
      const code = newJoinCode();
      const issued = await ctx.store.issueJoinCode(
        {
          hash: joinCodeHash(code),
          channelKey: ctx.channelKey,
          issuedBy: actorOf(ctx),
          issuedAt: now,
          expiresAt: now + CODE_TTL_MS,
        },
        CODES_PER_HOUR,
      );
      if (!issued)
        return {
          replies: [privateText(t(ctx.lang, 'group.tooManyCodes', { max: CODES_PER_HOUR }))],
          data: { action: 'code', issued: false },
        };
      return {
        replies: [privateText(t(ctx.lang, 'group.code', { code }))],
        data: { action: 'code', issued: true, code },
      };
    }
    if (JOIN.includes(word) && args.length >= 1) {
      await requireAdmin(ctx, 'what.group', 'group');
      const joined = await ctx.store.joinGroup(
        joinCodeHash(args.join('')),
        ctx.channelKey,
        actorOf(ctx),
        now,
        FAILURES_PER_10_MIN,
      );
      const text =
        joined.outcome === 'joined'
          ? `${t(ctx.lang, 'group.joined')}\n${await status(ctx)}`
          : t(ctx.lang, REFUSALS[joined.outcome]);
      return { replies: [privateText(text)], data: { action: 'join', outcome: joined.outcome } };
    }
    if (LEAVE.includes(word) && args.length === 0) {
      await requireAdmin(ctx, 'what.group', 'group');
      const left = await ctx.store.leaveGroup(ctx.channelKey, actorOf(ctx), now);
      return {
        replies: [privateText(t(ctx.lang, left ? 'group.left' : 'group.alone'))],
        data: { action: 'leave', left },
      };
    }
    throw new UsageError('usage.group', { value: rest.trim().slice(0, 20) || '-' });
  },
};
