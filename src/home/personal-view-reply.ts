import { homeLessonDone } from '../actions/home-lesson-done.ts';
import { homeLessonOpen } from '../actions/home-lesson-open.ts';
import { reviewStart } from '../actions/review-start.ts';
import { settingsOpen } from '../actions/settings-open.ts';
import { type Catalog, lessonByNumber } from '../catalog/model.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Choice, Reply } from '../reply/model.ts';
import type { ChannelStudy, PersonalView } from './personal-view.ts';

/** How the view reads: its language and zone, and whether the member may open each channel's settings. */
export interface ViewReading {
  lang: Lang;
  timeZone: string;
  now: number;
  /** Admins get a settings button on each channel. */
  isAdmin: boolean;
}

/** A channel id as code: the neutral text has no channel mention, and a code span shows the id as it is. */
const channelLabel = (channel: string) => `\`${channel}\``;

function channelBlocks(catalog: Catalog, study: ChannelStudy, reading: ViewReading): Block[] {
  const { lang } = reading;
  const { space, channel } = study;
  const lines = [
    `**${t(lang, 'me.channel', { channel: channelLabel(channel) })}**`,
    t(lang, 'me.progress', {
      done: study.done,
      total: study.total,
      streak: study.streak.current,
      best: study.streak.best,
    }),
    study.weeklyRank
      ? t(lang, 'me.rank', { rank: study.weeklyRank.rank, points: study.weeklyRank.points })
      : t(lang, 'me.unranked'),
  ];
  // Where the member stands against the group: level, or how many of the group's lessons are still theirs to do.
  if (study.behind > 0)
    lines.push(
      study.catchUpPerDay === null
        ? t(lang, 'me.behind', { count: study.behind })
        : t(lang, 'me.catchingUp', { count: study.behind, perDay: study.catchUpPerDay }),
    );
  if (study.pausedUntil !== null)
    lines.push(t(lang, 'me.paused', { at: formatDateTime(study.pausedUntil, reading.timeZone, lang) }));
  const lesson = study.nextLesson === null ? undefined : lessonByNumber(catalog, study.nextLesson);
  lines.push(
    lesson
      ? t(lang, 'me.next', { number: lesson.number, title: lesson.title[lang] })
      : t(lang, 'me.caughtUp'),
  );
  const choices: Choice[] = [];
  if (lesson) {
    choices.push(homeLessonOpen.button(t(lang, 'me.open'), { space, channel, lesson: lesson.number }, lang));
    choices.push(
      homeLessonDone.button(
        `✅ ${t(lang, 'me.done')}`,
        { space, channel, lesson: lesson.number },
        lang,
        'primary',
      ),
    );
  }
  if (reading.isAdmin) choices.push(settingsOpen.button(t(lang, 'me.settings'), { space, channel }, lang));
  return [
    { type: 'text', text: lines.join('\n') },
    ...(choices.length > 0 ? [{ type: 'choices' as const, choices }] : []),
  ];
}

/**
 * The member's personal view as a reply: each channel they study in (next lesson with Open and Done, progress,
 * streak, this week's rank, a settings button for admins), their reviews due with Start, their recent quizzes.
 * Private, and marked as the `home` surface so a platform with a personal page shows it there.
 */
export function personalViewReply(catalog: Catalog, view: PersonalView, reading: ViewReading): Reply {
  const { lang } = reading;
  const blocks: Block[] = [{ type: 'heading', text: t(lang, 'me.heading') }];
  if (view.channels.length === 0) blocks.push({ type: 'text', text: t(lang, 'me.nothing') });
  for (const study of view.channels) blocks.push(...channelBlocks(catalog, study, reading));
  if (view.moreChannels) blocks.push({ type: 'context', text: t(lang, 'me.moreChannels') });
  blocks.push({ type: 'divider' });
  const due = view.reviews.filter((r) => r.due > 0);
  if (due.length === 0) blocks.push({ type: 'text', text: t(lang, 'me.noReviews') });
  for (const { space, due: count } of due) {
    // With reviews in several spaces (a direct message sees every guild) each line says which.
    const text =
      due.length > 1
        ? t(lang, 'me.reviewsIn', { space: channelLabel(space), count })
        : t(lang, 'me.reviews', { count });
    blocks.push(
      { type: 'text', text },
      {
        type: 'choices',
        choices: [reviewStart.button(`🔁 ${t(lang, 'me.startReview')}`, space, lang, 'primary')],
      },
    );
  }
  if (view.recentQuizzes.length > 0) {
    const results = view.recentQuizzes.map((r) =>
      t(lang, 'me.result', {
        topic: r.topic,
        correct: r.correct,
        answered: r.answered,
        points: r.points,
        when: formatDateTime(r.at, reading.timeZone, lang),
      }),
    );
    blocks.push({
      type: 'text',
      text: `**${t(lang, 'me.recent')}**\n${results.map((r) => `• ${r}`).join('\n')}`,
    });
  }
  blocks.push({
    type: 'context',
    text: t(lang, 'me.updated', { when: formatDateTime(reading.now, reading.timeZone, lang) }),
  });
  return { visibility: 'private', surface: 'home', blocks };
}
