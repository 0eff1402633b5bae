import { userKeyOf } from '../channel-key.ts';
import { t } from '../i18n/messages.ts';
import { privateText } from '../reply/model.ts';
import type { LinkOutcome } from '../store/store.ts';
import type { Command } from './command.ts';
import { CODE_TTL_MS, CODES_PER_HOUR, FAILURES_PER_10_MIN, joinCodeHash, newJoinCode } from './group.ts';
import { UsageError } from './usage-error.ts';

const OFF = ['off', 'unlink', '끊기', '해제'];

const REFUSALS: Record<Exclude<LinkOutcome, 'linked'>, Parameters<typeof t>[1]> = {
  unknown: 'link.unknown',
  expired: 'link.expired',
  used: 'link.used',
  same: 'link.same',
  elsewhere: 'link.elsewhere',
  space: 'link.space',
  taken: 'link.taken',
  throttled: 'link.throttled',
};

/** Member keys as a reader sees them: each in code format, the caller's own first. */
function keyList(keys: readonly string[]): string {
  return keys.map((key) => `\`${key}\``).join(', ');
}

/**
 * `/orch link`: one member across the platforms of a study group. A member asks for a one-time code on one side and
 * hands it in on the other; from then on their Done marks, streak, review cards and quiz points read as one record.
 * Codes are the group join codes' kind (hashed, 10 minutes, used once) and need no admin: a member only ever links
 * their own accounts, and only between channels whose admins made them one group.
 */
export const link: Command = {
  name: 'link',
  aliases: ['연결', '계정연결'],
  description: {
    en: 'Link your accounts on Slack and Discord into one record',
    ko: '슬랙과 디스코드의 내 계정을 하나로 연결해요',
  },
  help: {
    group: 'study',
    example: { en: '/orch link', ko: '/orch 연결' },
    syntax: [
      {
        usage: { en: '/orch link', ko: '/orch 연결' },
        what: {
          en: 'a one-time code (10 minutes) to link this account with yours on the other platform of the group',
          ko: '그룹의 다른 플랫폼에 있는 내 계정과 연결할 일회용 코드를 받아요(10분 동안 쓸 수 있어요)',
        },
      },
      {
        usage: { en: '/orch link <code> | off', ko: '/orch 연결 <코드> | 끊기' },
        what: {
          en: 'link this account with the one the code is from, or undo the link (each side keeps what it earned)',
          ko: '코드를 받은 계정과 이 계정을 연결하거나, 연결을 끊어요(양쪽 기록은 각자 남아요)',
        },
      },
    ],
  },
  options: [
    {
      name: 'code',
      description: { en: 'a link code, or off', ko: '계정 연결 코드, 또는 끊기' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const args = rest.trim().split(/\s+/).filter(Boolean);
    const now = ctx.clock.now().getTime();
    const memberKey = userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
    if (args.length === 1 && OFF.includes(args[0]?.toLowerCase() ?? '')) {
      const unlinked = await ctx.store.unlinkMember(memberKey, ctx.channelKey, now);
      return {
        replies: [privateText(t(ctx.lang, unlinked ? 'link.unlinked' : 'link.notLinked'))],
        data: { action: 'unlink', unlinked },
      };
    }
    if (args.length === 0) {
      const [channels, { memberKeys }] = await Promise.all([
        ctx.store.groupChannels(ctx.channelKey),
        ctx.store.identityOf(memberKey),
      ]);
      // A code is good only in another channel of this channel's group: on its own, the channel has none to offer.
      const grouped = channels.length > 1;
      const code = grouped ? newJoinCode() : null;
      const issued =
        code !== null &&
        (await ctx.store.issueLinkCode(
          {
            hash: joinCodeHash(code),
            memberKey,
            channelKey: ctx.channelKey,
            issuedAt: now,
            expiresAt: now + CODE_TTL_MS,
          },
          CODES_PER_HOUR,
        ));
      const text = !grouped
        ? t(ctx.lang, 'link.alone')
        : issued
          ? t(ctx.lang, 'link.code', { code })
          : t(ctx.lang, 'link.tooManyCodes', { max: CODES_PER_HOUR });
      const status =
        memberKeys.length > 1 ? `${t(ctx.lang, 'link.status', { keys: keyList(memberKeys) })}\n` : '';
      return {
        replies: [privateText(`${status}${text}`)],
        data: { action: 'code', issued, grouped, ...(issued ? { code } : {}), linked: memberKeys },
      };
    }
    const typed = args.join('');
    // A code is letters and digits with an optional dash: anything else is a mistyped option, not a wrong code, and
    // must not count against the member's attempts.
    if (!/^[A-Za-z0-9-]{6,20}$/.test(typed))
      throw new UsageError('usage.link', { value: rest.trim().slice(0, 20) });
    const outcome = await ctx.store.linkMember(
      joinCodeHash(typed),
      memberKey,
      ctx.channelKey,
      now,
      FAILURES_PER_10_MIN,
    );
    if (outcome !== 'linked')
      return { replies: [privateText(t(ctx.lang, REFUSALS[outcome]))], data: { action: 'link', outcome } };
    const { memberKeys } = await ctx.store.identityOf(memberKey);
    return {
      replies: [privateText(t(ctx.lang, 'link.linked', { keys: keyList(memberKeys) }))],
      data: { action: 'link', outcome, linked: memberKeys },
    };
  },
};
