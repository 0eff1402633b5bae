import { UserError } from '../errors.ts';
import { isLang, type Lang, t } from '../i18n/messages.ts';
import { pauseIfDue } from '../quiz/question-health.ts';
import type { Block, Form, Reply } from '../reply/model.ts';
import { privateText } from '../reply/model.ts';
import { questionVersion } from '../store/question-version.ts';
import { REPORT_REASONS, type ReportReason } from '../store/store.ts';
import { type ActionContext, defineAction, naturalIn } from './action.ts';

/** A revealed question of a round, and what is wrong with it when the press already says (a reason's button). */
export interface QuizReportPayload {
  roundId: string;
  index: number;
  reason?: ReportReason;
}

/** The id the report form carries through the platform and comes back with. */
export const REPORT_FORM_ID = 'quiz.report';
/** The longest note a report keeps: a sentence or two for the admin, not an essay. */
export const REPORT_NOTE_MAX = 300;

// As quiz-answer.ts: a round id is any run without a colon or space, looked up before anything is kept.
const VALUE = /^([^:\s@]+):(\d+)(?::([a-z]+))?$/;
const isReason = (text: string | undefined): text is ReportReason =>
  text !== undefined && (REPORT_REASONS as readonly string[]).includes(text);

/**
 * A reveal's "report" button. Pressed as it is on the reveal, it opens the report form (reason and an optional note);
 * where a platform shows no forms (the console, a Discord press answered late) the reply offers one button per
 * reason, which reports at once without a note. Its value is `roundId:index` or `roundId:index:reason`.
 */
export const quizReport = defineAction<QuizReportPayload>({
  id: 'quiz.report',
  encode: ({ roundId, index, reason }) => `${roundId}:${index}${reason ? `:${reason}` : ''}`,
  decode(value) {
    const [, roundId, indexText, reasonText] = VALUE.exec(value) ?? [];
    const index = naturalIn(indexText, 3);
    if (!roundId || index === null) return null;
    if (reasonText === undefined) return { roundId, index };
    return isReason(reasonText) ? { roundId, index, reason: reasonText } : null;
  },
  async run(ctx, { roundId, index, reason }) {
    if (reason) return fileReport(ctx, roundId, index, reason, null);
    const question = await revealedQuestion(ctx, roundId, index);
    return [reportFormReply(ctx.lang, roundId, index, question.question.question[ctx.lang])];
  },
});

/** The question a report is about: a question of a round in this channel, already revealed (the button sits on reveals). */
async function revealedQuestion(ctx: ActionContext, roundId: string, index: number) {
  const [round, question] = await Promise.all([
    ctx.store.getRound(roundId),
    ctx.store.roundQuestion(roundId, index),
  ]);
  if (!round || !question || round.channelKey !== ctx.channelKey) throw new UserError('report.unknown');
  if (question.revealedAt === null) throw new UserError('report.notRevealed');
  return question;
}

function reportFormReply(lang: Lang, roundId: string, index: number, questionText: string): Reply {
  const reasons = REPORT_REASONS.map((r) => ({ value: r, label: t(lang, `report.reason.${r}`) }));
  const form: Form = {
    id: REPORT_FORM_ID,
    state: reportState(lang, roundId, index),
    title: t(lang, 'report.title'),
    submitLabel: t(lang, 'report.submit'),
    notes: [{ type: 'text', text: `**${questionText}**` }],
    fallbackNote: t(lang, 'report.fallback'),
    fields: [
      {
        kind: 'select',
        id: 'reason',
        label: t(lang, 'report.reasonLabel'),
        value: 'wrong',
        hint: t(lang, 'report.reasonHint'),
        options: reasons,
      },
      {
        kind: 'text',
        id: 'note',
        label: t(lang, 'report.noteLabel'),
        value: '',
        hint: t(lang, 'report.noteHint', { max: REPORT_NOTE_MAX }),
        maxLength: REPORT_NOTE_MAX,
      },
    ],
  };
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'report.title') },
    { type: 'text', text: `**${questionText}**\n${t(lang, 'report.pick')}` },
    {
      type: 'choices',
      choices: REPORT_REASONS.map((r) =>
        quizReport.button(t(lang, `report.reason.${r}`), { roundId, index, reason: r }, lang),
      ),
    },
  ];
  return { visibility: 'private', blocks, form };
}

// The form's state: `lang.roundId.index`. A round id never holds a dot (a UUID), which the reader checks.
function reportState(lang: Lang, roundId: string, index: number): string {
  return `${lang}.${roundId}.${index}`;
}

function readReportState(state: string): { lang: Lang; roundId: string; index: number } | null {
  const [lang, roundId, indexText, ...extra] = state.split('.');
  const index = naturalIn(indexText, 3);
  if (!isLang(lang) || !roundId || /[\s:@]/.test(roundId) || index === null || extra.length > 0) return null;
  return { lang, roundId, index };
}

/** The language a submitted report form answers in, or null for a state this core never made. */
export function reportFormLang(state: string): Lang | null {
  return readReportState(state)?.lang ?? null;
}

/**
 * A submitted report form: a reason from the list (anything else is a field error and keeps nothing) and a note of
 * at most REPORT_NOTE_MAX characters (a longer one, which a platform would have refused, is cut).
 */
export async function submitReport(
  ctx: ActionContext,
  state: string,
  values: Readonly<Record<string, string>>,
): Promise<{ replies: Reply[]; fieldErrors?: Record<string, string> }> {
  const read = readReportState(state);
  if (!read) throw new UserError('error.unknownForm');
  const reason = values.reason;
  if (!isReason(reason)) {
    const message = t(ctx.lang, 'report.reasonHint');
    return { replies: [privateText(message)], fieldErrors: { reason: message } };
  }
  const note = (values.note ?? '').trim().slice(0, REPORT_NOTE_MAX);
  return { replies: await fileReport(ctx, read.roundId, read.index, reason, note === '' ? null : note) };
}

/**
 * Keeps a member's report and pauses the question when two members have now reported it: counted after the report
 * is stored, so two members reporting at the same moment still pause it.
 */
async function fileReport(
  ctx: ActionContext,
  roundId: string,
  index: number,
  reason: ReportReason,
  note: string | null,
): Promise<Reply[]> {
  const question = await revealedQuestion(ctx, roundId, index);
  const now = ctx.clock.now().getTime();
  await ctx.store.reportQuestion({
    channelKey: ctx.channelKey,
    questionId: question.question.questionId,
    version: questionVersion(question.question),
    userId: ctx.incoming.who.userId,
    reason,
    note,
    roundId,
    reportedAt: now,
  });
  const paused = await pauseIfDue(ctx.store, ctx.channelKey, question.question, now);
  const thanks = t(ctx.lang, 'report.thanks', { reason: t(ctx.lang, `report.reason.${reason}`) });
  return [privateText(paused ? `${thanks}\n${t(ctx.lang, 'report.pausedNow')}` : thanks)];
}
