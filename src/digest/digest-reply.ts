import { formatDateTime, formatDay } from '../i18n/dates.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply, ReplyImage } from '../reply/model.ts';
import type { DigestData } from './digest-data.ts';

/** The week's first and last day as the channel reads them. */
export function weekSpan(data: DigestData): { from: string; to: string } {
  return {
    from: formatDay(data.week.start, data.timeZone, data.lang),
    // The last day is the one before the next Monday's midnight.
    to: formatDay(data.week.end - 1, data.timeZone, data.lang),
  };
}

function section(title: string, lines: readonly string[]): Block {
  return { type: 'text', text: `**${title}**\n${lines.join('\n')}` };
}

/**
 * The digest as text blocks: it stands on its own (a screen reader, a platform that cannot show the card) and says
 * everything the card shows, in the same order.
 */
export function digestReply(data: DigestData, image?: ReplyImage): Reply {
  const lang: Lang = data.lang;
  const blocks: Block[] = [{ type: 'heading', text: `📊 ${t(lang, 'digest.heading', weekSpan(data))}` }];
  blocks.push({ type: 'text', text: `**${t(lang, 'digest.roadmap')}**` });
  for (const track of data.tracks)
    blocks.push({ type: 'progress', label: track.title, done: track.posted, total: track.total });
  if (data.roadmapDone) blocks.push({ type: 'context', text: t(lang, 'digest.roadmapDone') });
  blocks.push(
    section(
      t(lang, 'digest.lessons'),
      data.lessonsPosted.length === 0
        ? [t(lang, 'digest.noLessons')]
        : data.lessonsPosted.map(
            (l) => `• ${t(lang, 'digest.lessonLine', { number: l.number, title: l.title, done: l.done })}`,
          ),
    ),
  );
  const quiz =
    data.leaderboard.length === 0
      ? [t(lang, 'digest.noQuiz')]
      : data.leaderboard.map((row, i) => t(lang, 'digest.scoreLine', { rank: i + 1, ...row }));
  if (data.improved) quiz.push(`🚀 ${t(lang, 'digest.improved', data.improved)}`);
  blocks.push(section(t(lang, 'digest.quiz'), quiz));
  if (data.hardest.length > 0)
    blocks.push(
      section(
        t(lang, 'digest.hardest'),
        data.hardest.map((q) => `• ${t(lang, 'digest.hardLine', q)}`),
      ),
    );
  blocks.push({
    type: 'text',
    text:
      data.reviewsDue === 0
        ? t(lang, 'digest.noReviews')
        : t(lang, 'digest.reviews', { count: data.reviewsDue }),
  });
  const at = (ms: number) => formatDateTime(ms, data.timeZone, lang);
  const next = data.next.map(
    (l) => `• ${t(lang, 'digest.nextLine', { at: at(l.at), number: l.number, title: l.title })}`,
  );
  const holidays = data.holidays.map(
    (h) => `• ${t(lang, 'digest.holiday', { at: formatDay(h.at, data.timeZone, lang), name: h.name })}`,
  );
  blocks.push(
    section(
      t(lang, 'digest.next'),
      next.length + holidays.length === 0 ? [t(lang, 'digest.noNext')] : [...next, ...holidays],
    ),
  );
  blocks.push({ type: 'context', text: t(lang, 'digest.zone', { zone: data.timeZone }) });
  return { visibility: 'channel', blocks, ...(image ? { image } : {}) };
}
