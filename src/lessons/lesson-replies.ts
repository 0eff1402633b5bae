import { homeLessonDone } from '../actions/home-lesson-done.ts';
import { lessonDone } from '../actions/lesson-done.ts';
import { lessonQuiz } from '../actions/lesson-quiz.ts';
import { type Catalog, type Lesson, lessonByNumber } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from '../reply/model.ts';
import type { StreakSummary } from './streaks.ts';

function trackTitle(catalog: Catalog, lesson: Lesson, lang: Lang): string {
  return catalog.roadmap.tracks.find((track) => track.id === lesson.trackId)?.title[lang] ?? lesson.trackId;
}

/** A lesson as posted to a channel: goal, key points, commands, docs, tools, a check question and a Done button. */
export function lessonReply(
  catalog: Catalog,
  lesson: Lesson,
  lang: Lang,
  /**
   * `doneIn`: the lesson opened from the member's personal view, away from its channel: Done names that channel,
   * and the quiz button (a round belongs in the channel) is left out.
   */
  options: { scheduled?: boolean; answer?: boolean; doneIn?: { space: string; channel: string } } = {},
): Reply {
  const total = catalog.roadmap.lessons.length;
  const tools = lesson.tools.map((id) => catalog.toolById.get(id)?.name ?? id);
  const blocks: Block[] = [
    {
      type: 'heading',
      text: t(lang, 'lesson.heading', { number: lesson.number, total, title: lesson.title[lang] }),
    },
    {
      type: 'fields',
      fields: [
        { label: t(lang, 'lesson.track'), value: trackTitle(catalog, lesson, lang) },
        { label: t(lang, 'lesson.stage'), value: t(lang, `stage.${lesson.stage}`) },
        { label: t(lang, 'lesson.goal'), value: lesson.goal[lang] },
      ],
    },
    {
      type: 'text',
      text: `**${t(lang, 'lesson.points')}**\n${lesson.points[lang].map((p) => `• ${p}`).join('\n')}`,
    },
  ];
  if (lesson.commands.length > 0) {
    blocks.push({
      type: 'text',
      text: `**${t(lang, 'lesson.commands')}**\n${lesson.commands.map((c) => `\`${c}\``).join('\n')}`,
    });
  }
  if (tools.length > 0)
    blocks.push({ type: 'context', text: `${t(lang, 'lesson.tools')}: ${tools.join(', ')}` });
  blocks.push({ type: 'links', links: lesson.links.map((l) => ({ label: l.title, url: l.url })) });
  blocks.push({ type: 'text', text: `**${t(lang, 'lesson.check')}**\n${lesson.check.question[lang]}` });
  if (options.answer) {
    blocks.push({ type: 'text', text: `**${t(lang, 'lesson.answer')}**\n${lesson.check.answer[lang]}` });
  } else {
    blocks.push({ type: 'context', text: t(lang, 'lesson.answerHint', { number: lesson.number }) });
  }
  const doneLabel = `✅ ${t(lang, 'lesson.done')}`;
  const { doneIn } = options;
  blocks.push({
    type: 'choices',
    choices: doneIn
      ? [homeLessonDone.button(doneLabel, { ...doneIn, lesson: lesson.number }, lang, 'primary')]
      : [
          lessonDone.button(doneLabel, lesson.number, lang, 'primary'),
          lessonQuiz.button(`❓ ${t(lang, 'quiz.me')}`, lesson.number, lang),
        ],
  });
  if (options.scheduled) blocks.unshift({ type: 'context', text: `📚 ${t(lang, 'lesson.scheduled')}` });
  return { visibility: 'channel', blocks };
}

/**
 * The first post in a scheduled lesson's thread: where to talk about it, and its check question with the answer (in
 * the thread, where a member looks when ready, not in the channel).
 */
export function lessonThreadReply(lesson: Lesson, lang: Lang): Reply {
  return {
    visibility: 'channel',
    blocks: [
      { type: 'text', text: `💬 ${t(lang, 'thread.lessonWelcome', { number: lesson.number })}` },
      { type: 'text', text: `**${t(lang, 'lesson.check')}**\n${lesson.check.question[lang]}` },
      { type: 'text', text: `**${t(lang, 'lesson.answer')}**\n${lesson.check.answer[lang]}` },
    ],
  };
}

/** The roadmap: tracks with their lesson ranges, where the channel is, and a progress bar. */
export function roadmapReply(catalog: Catalog, position: number, lang: Lang): Reply {
  const total = catalog.roadmap.lessons.length;
  const posted = Math.min(total, Math.max(0, position - 1));
  const lines = catalog.roadmap.tracks.map((track) => {
    const numbers = catalog.roadmap.lessons.filter((l) => l.trackId === track.id).map((l) => l.number);
    const from = Math.min(...numbers);
    const to = Math.max(...numbers);
    const marker = position > to ? '✅' : position >= from ? '▶️' : '⬜';
    return `${t(lang, 'roadmap.track', { marker, title: `**${track.title[lang]}**`, from, to })}`;
  });
  const next = lessonByNumber(catalog, position);
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'roadmap.heading') },
    { type: 'text', text: lines.join('\n') },
    { type: 'progress', label: t(lang, 'roadmap.progress'), done: posted, total },
    {
      type: 'context',
      text: next
        ? t(lang, 'roadmap.next', { number: next.number, title: next.title[lang] })
        : t(lang, 'lesson.finished', { total }),
    },
  ];
  const resources = catalog.roadmap.resources;
  if (resources.length > 0) {
    const items = resources.map(
      (r) => `• ${r.url ? `[${r.title}](${r.url})` : `_${r.title}_`}${r.author ? ` (${r.author})` : ''}`,
    );
    blocks.push({ type: 'text', text: `**${t(lang, 'roadmap.resources')}**\n${items.join('\n')}` });
  }
  return { visibility: 'channel', blocks };
}

/** A member's own progress: lessons done, streaks, and the last lesson finished. */
export function progressReply(
  catalog: Catalog,
  done: readonly number[],
  streak: StreakSummary,
  lang: Lang,
  quiz: { answered: number; correct: number; points: number; reviewsDue: number },
): Reply {
  const total = catalog.roadmap.lessons.length;
  const lastNumber = done.length > 0 ? Math.max(...done) : undefined;
  const last = lastNumber !== undefined ? lessonByNumber(catalog, lastNumber) : undefined;
  return {
    visibility: 'private',
    blocks: [
      { type: 'heading', text: t(lang, 'progress.heading') },
      { type: 'progress', label: t(lang, 'progress.done'), done: done.length, total },
      {
        type: 'fields',
        fields: [
          {
            label: t(lang, 'progress.streak'),
            value: t(lang, 'progress.lessons', { count: streak.current }),
          },
          { label: t(lang, 'progress.best'), value: t(lang, 'progress.lessons', { count: streak.best }) },
          {
            label: t(lang, 'progress.last'),
            value: last ? `${last.number}. ${last.title[lang]}` : t(lang, 'progress.none'),
          },
          { label: t(lang, 'progress.quiz'), value: t(lang, 'progress.quizValue', quiz) },
          {
            label: t(lang, 'progress.reviews'),
            value: t(lang, 'progress.reviewsValue', { count: quiz.reviewsDue }),
          },
        ],
      },
    ],
  };
}
