import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import { privateText } from '../reply/model.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

/**
 * A new page token: 24 random bytes, 32 URL-safe characters (192 bits), so an address cannot be guessed and the
 * page server can refuse anything of another shape before asking the store.
 */
export function newPageToken(): string {
  return randomBytes(24).toString('base64url');
}

/** What a page token looks like; anything else is refused without a lookup. */
export const PAGE_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** The calendar feed's address under the public URL. */
export function calendarUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/c/${token}/calendar.ics`;
}

/** The group page's address under the public URL. */
export function pageUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/c/${token}`;
}

const RESET_WORDS = new Set(['reset', 'rotate', 'new', '재발급', '새로']);

/**
 * `/orch calendar`: the address of this channel's lesson calendar (an iCalendar feed a calendar app subscribes to),
 * privately to an admin, who decides whom to share it with; `/orch calendar reset` gives a new address and the old one
 * stops working.
 */
export const calendar: Command = {
  name: 'calendar',
  aliases: ['cal', 'ical', '캘린더'],
  description: {
    en: "This channel's lesson calendar to subscribe to",
    ko: '구독할 수 있는 이 채널의 레슨 캘린더',
  },
  help: {
    group: 'settings',
    example: { en: '/orch calendar', ko: '/orch 캘린더' },
    syntax: [
      {
        usage: { en: '/orch calendar', ko: '/orch 캘린더' },
        what: {
          en: "the address of this channel's lesson calendar, for Google Calendar, Apple Calendar or Outlook (add by URL)",
          ko: '이 채널의 스터디 페이지와 레슨 캘린더 주소를 알려 줘요. 구글 캘린더, 애플 캘린더, 아웃룩에서 URL로 추가하면 돼요',
        },
      },
      {
        usage: { en: '/orch calendar reset', ko: '/orch 캘린더 재발급' },
        what: {
          en: 'a new address; the old one stops working at once',
          ko: '새 주소를 만들어요. 예전 주소는 바로 쓸 수 없게 돼요',
        },
      },
    ],
    admin: {
      en: 'channel admins only: anyone with the address can see the schedule',
      ko: '채널 관리자만 쓸 수 있어요. 주소를 아는 사람은 누구나 일정을 볼 수 있어요',
    },
  },
  options: [
    {
      name: 'action',
      description: { en: 'reset: a new address', ko: '재발급: 새 주소' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const word = rest.trim().toLowerCase();
    const reset = RESET_WORDS.has(word);
    if (word !== '' && !reset) throw new UsageError('usage.calendar', { value: rest.trim().slice(0, 20) });
    // Seeing the address is for admins too: whoever has it can read the schedule, so they decide who gets it.
    if (!(await isAdminUser(ctx.incoming.who))) throw new UserError('calendar.adminOnly');
    // No address to give here: the console serves no pages, and a server needs its public address. Both are facts
    // about the setup, not a mistake of the member's, so they are answers rather than refusals.
    const why = !ctx.pages
      ? 'calendar.noServer'
      : ctx.pages.publicUrl === null
        ? 'calendar.noPublicUrl'
        : null;
    if (why || !ctx.pages?.publicUrl)
      return {
        replies: [privateText(t(ctx.lang, why ?? 'calendar.noServer'))],
        data: { action: 'unavailable' },
      };
    const { publicUrl } = ctx.pages;
    const now = ctx.clock.now().getTime();
    let token: string;
    if (reset) {
      token = newPageToken();
      await ctx.store.rotateChannelPageToken(ctx.channelKey, token, now);
    } else {
      token = await ctx.store.channelPageToken(ctx.channelKey, newPageToken(), now);
    }
    const url = calendarUrl(publicUrl, token);
    const page = pageUrl(publicUrl, token);
    const lines = [
      t(ctx.lang, reset ? 'calendar.reset' : 'calendar.show', { url, page }),
      t(ctx.lang, ctx.channel?.cron ? 'calendar.howTo' : 'calendar.noSchedule'),
    ];
    return {
      replies: [privateText(lines.join('\n'))],
      data: { action: reset ? 'reset' : 'show', url, page },
    };
  },
};
