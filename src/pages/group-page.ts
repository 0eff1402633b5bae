import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/model.ts';
import { formatDateTime, formatDay } from '../i18n/dates.ts';
import { LANGS, type Lang, t } from '../i18n/messages.ts';
import { comingLessons } from '../lessons/coming-lessons.ts';
import { holidayName } from '../lessons/holidays.ts';
import { calendarPeriod } from '../lessons/time-zone.ts';
import { escapeMarkup } from '../reply/safe-text.ts';
import {
  type ChannelSettings,
  type DigestEntry,
  isPostedLesson,
  type LeaderboardRow,
  type LedgerEntry,
  type Store,
} from '../store/store.ts';

/** What the group page shows, read once per request from the store (the same data the digest reads). */
export interface GroupPageData {
  lang: Lang;
  timeZone: string;
  now: number;
  channel: ChannelSettings | null;
  ledger: LedgerEntry[];
  weekBoard: LeaderboardRow[];
  allBoard: LeaderboardRow[];
  digests: DigestEntry[];
}

const BOARD = 10;
/** Ledger rows a page reads: every posted lesson of the roadmap, among the missed and holiday fires between them. */
export const PAGE_LEDGER_ROWS = 400;
const ARCHIVE = 12;

/**
 * What the page shows beyond the channel's row and its ledger, which the page server has already read to know
 * whether anything changed (the ledger must hold every posted lesson: see PAGE_LEDGER_ROWS).
 */
export async function gatherGroupPage(
  store: Store,
  channelKey: string,
  channel: ChannelSettings | null,
  ledger: LedgerEntry[],
  lang: Lang,
  now: number,
): Promise<GroupPageData> {
  const timeZone = channel?.timeZone ?? 'UTC';
  const week = calendarPeriod(now, timeZone, 'week');
  const [weekBoard, allBoard, digests] = await Promise.all([
    store.leaderboardBetween(channelKey, week.start, week.end, BOARD),
    store.leaderboard(channelKey, 0, BOARD),
    store.digests(channelKey, ARCHIVE),
  ]);
  return { lang, timeZone, now, channel, ledger, weekBoard, allBoard, digests };
}

// One stylesheet, inline and allowed by its hash alone (the Content-Security-Policy names it): no file to fetch, no
// script anywhere. Phones first: one column, a wider layout from 720 px.
const STYLE = `
@font-face{font-family:"Noto Sans KR";src:url(/fonts/noto-sans-kr-400.woff) format("woff");font-weight:400;font-display:swap}
@font-face{font-family:"Noto Sans KR";src:url(/fonts/noto-sans-kr-700.woff) format("woff");font-weight:700;font-display:swap}
:root{color-scheme:light;--ink:#0f172a;--muted:#64748b;--accent:#2563eb;--line:#e2e8f0;--bg:#f8fafc}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 "Noto Sans KR",system-ui,-apple-system,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:16px}
header{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline;justify-content:space-between}
h1{font-size:1.5rem;margin:8px 0}h2{font-size:1.15rem;margin:24px 0 8px;color:var(--accent)}
nav a{margin-left:12px;color:var(--accent)}
progress{width:100%;height:12px;accent-color:var(--accent)}
ol,ul{padding-left:1.25rem}li{margin:4px 0}
.lessons{list-style:none;padding:0}.lessons li{display:flex;flex-wrap:wrap;column-gap:12px;justify-content:space-between;border-bottom:1px solid var(--line);padding:6px 0}
.lessons li>span:first-child{min-width:0;overflow-wrap:anywhere}
.state{margin-left:auto;color:var(--muted);font-size:.9rem}.posted .state{color:#15803d}.skipped .state{color:#b45309}
.grid{display:grid;grid-template-columns:1fr;gap:16px}
@media (min-width:720px){.grid{grid-template-columns:1fr 1fr}}
figure{margin:0 0 16px}figure img{width:100%;height:auto;border:1px solid var(--line);border-radius:8px}
figcaption{color:var(--muted);font-size:.9rem}
.muted{color:var(--muted)}footer{margin:32px 0 16px;color:var(--muted);font-size:.85rem}
`;

/** The CSP source of the inline stylesheet. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The address of a week's digest card on the page server. */
export function digestImagePath(token: string, weekStart: number): string {
  return `/c/${token}/digest/${weekStart}.png`;
}

function board(rows: readonly LeaderboardRow[], lang: Lang): string {
  if (rows.length === 0) return `<p class="muted">${escapeMarkup(t(lang, 'page.noBoard'))}</p>`;
  return `<ol>${rows
    .map(
      (row) =>
        `<li>${escapeMarkup(row.displayName)}: ${escapeMarkup(
          t(lang, 'page.points', { points: row.points, correct: row.correct, answered: row.answered }),
        )}</li>`,
    )
    .join('')}</ol>`;
}

/**
 * The group's page as HTML: progress, the roadmap with each lesson's state (posted, coming, skipped for a holiday,
 * not scheduled yet), this week's and all-time leaderboards, the digest archive with its cards, and the calendar.
 * Server-rendered, no script, nothing beyond what the channel already shows (names only on the leaderboards).
 */
export function groupPageHtml(data: GroupPageData, catalog: Catalog, token: string): string {
  const { lang, timeZone, channel } = data;
  const total = catalog.roadmap.lessons.length;
  const postedAt = new Map<number, number>();
  for (const entry of data.ledger)
    if (isPostedLesson(entry) && !postedAt.has(entry.lesson))
      postedAt.set(entry.lesson, entry.postedAt ?? entry.fireAt);
  const coming = channel ? comingLessons(channel, total, { limit: total }) : [];
  const comingAt = new Map<number, number>();
  for (const slot of coming) if (slot.kind === 'lesson') comingAt.set(slot.lesson, slot.fireAt);
  const posted = postedAt.size;
  const share = total === 0 ? 0 : Math.round((posted / total) * 100);

  const lessons = catalog.roadmap.lessons
    .map((lesson) => {
      const done = postedAt.get(lesson.number);
      const next = comingAt.get(lesson.number);
      const [kind, state] =
        done !== undefined
          ? ['posted', t(lang, 'page.posted', { at: formatDateTime(done, timeZone, lang) })]
          : next !== undefined
            ? ['upcoming', t(lang, 'page.upcoming', { at: formatDateTime(next, timeZone, lang) })]
            : ['later', t(lang, 'page.notScheduled')];
      const title = t(lang, 'calendar.event', { number: lesson.number, title: lesson.title[lang] });
      return `<li class="${kind}"><span>${escapeMarkup(title)}</span><span class="state">${escapeMarkup(state)}</span></li>`;
    })
    .join('');
  const holidays = coming
    .filter((slot) => slot.kind === 'holiday' && channel?.holidayCountry)
    .map((slot) => {
      const name = holidayName(channel?.holidayCountry as string, slot.fireAt, timeZone, lang) ?? '';
      return `<li class="skipped"><span>${escapeMarkup(formatDay(slot.fireAt, timeZone, lang))}</span><span class="state">${escapeMarkup(t(lang, 'page.skipped', { name }))}</span></li>`;
    })
    .join('');
  const digests = data.digests.filter((d) => d.status === 'posted');
  const archive =
    digests.length === 0
      ? `<p class="muted">${escapeMarkup(t(lang, 'page.noDigests'))}</p>`
      : digests
          .map((d) => {
            // A digest posted in the week starting weekStart reports the week before it.
            const label = t(lang, 'page.digestOf', { day: formatDay(d.weekStart, timeZone, lang) });
            return `<figure><img src="${digestImagePath(token, d.weekStart)}?lang=${lang}" width="1200" height="675" loading="lazy" alt="${escapeMarkup(label)}"><figcaption>${escapeMarkup(label)}</figcaption></figure>`;
          })
          .join('');
  const other = LANGS.filter((l) => l !== lang)
    .map((l) => `<a href="?lang=${l}" hreflang="${l}" lang="${l}">${escapeMarkup(t(l, 'page.language'))}</a>`)
    .join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex,nofollow"><title>${escapeMarkup(t(lang, 'page.title'))}</title><style>${STYLE}</style></head><body><main>
<header><h1>${escapeMarkup(t(lang, 'page.title'))}</h1><nav><a href="/c/${token}/calendar.ics">${escapeMarkup(t(lang, 'page.calendar'))}</a>${other}</nav></header>
<section aria-labelledby="progress"><h2 id="progress">${escapeMarkup(t(lang, 'page.progress'))}</h2>
<p>${escapeMarkup(t(lang, 'page.progressLine', { posted, total, share }))}</p><progress max="100" value="${share}">${share}%</progress></section>
<div class="grid"><section aria-labelledby="week"><h2 id="week">${escapeMarkup(t(lang, 'page.weekBoard'))}</h2>${board(data.weekBoard, lang)}</section>
<section aria-labelledby="all"><h2 id="all">${escapeMarkup(t(lang, 'page.allBoard'))}</h2>${board(data.allBoard, lang)}</section></div>
<section aria-labelledby="roadmap"><h2 id="roadmap">${escapeMarkup(t(lang, 'digest.roadmap'))}</h2><ul class="lessons">${lessons}</ul>
${holidays ? `<h2>${escapeMarkup(t(lang, 'page.holidays'))}</h2><ul class="lessons">${holidays}</ul>` : ''}</section>
<section aria-labelledby="digests"><h2 id="digests">${escapeMarkup(t(lang, 'page.digests'))}</h2>${archive}</section>
<footer>${escapeMarkup(t(lang, 'page.footer', { zone: timeZone, at: formatDateTime(data.now, timeZone, lang) }))}</footer>
</main></body></html>`;
}
