import { UserError } from '../errors.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from '../reply/model.ts';
import { neutralizeMentions } from '../reply/safe-text.ts';
import { questionVersion } from '../store/question-version.ts';
import type { QuestionStanding } from '../store/store.ts';
import type { CommandAnswer, CommandContext } from './command.ts';

/** The longest list the reply shows; a channel with more has bigger problems than a long message. */
const SHOWN_QUESTIONS = 15;

/**
 * `/orch admin questions`: the questions held out of the channel's rounds, each with where to fix it (the catalog
 * file and line of a curated question), why it is held out, its record and the reports with their notes; then the
 * questions reported once. `/orch admin questions resume <id>` asks one again as it is.
 */
export async function adminQuestions(ctx: CommandContext, args: readonly string[]): Promise<CommandAnswer> {
  const [verb, id] = args;
  if (verb !== undefined && ['resume', '재개'].includes(verb.toLowerCase())) {
    if (!id) throw new UserError('admin.questionNotHeld', { id: '-' });
    const resumed = await ctx.store.resumeQuestion(
      ctx.channelKey,
      id,
      ctx.incoming.who.userId,
      ctx.clock.now().getTime(),
    );
    const key = resumed > 0 ? 'admin.questionResumed' : 'admin.questionNotHeld';
    return {
      replies: [
        {
          visibility: 'private',
          blocks: [{ type: 'text', text: t(ctx.lang, key, { id: id.slice(0, 80) }) }],
        },
      ],
      data: { task: 'questions', resumed: resumed > 0, questionId: id },
    };
  }
  // Holds and reports are of a version: a question fixed since (another version in the bank) is asked again with a
  // clean record, so neither is listed for it.
  const current = (id: string, version: string) => {
    const found = ctx.bank.byId(id);
    return !found || questionVersion(found.question) === version;
  };
  const pauses = (await ctx.store.questionPauses(ctx.channelKey)).filter(
    (p) => p.status === 'paused' && current(p.questionId, p.version),
  );
  const reported = await ctx.store.questionReportCounts(ctx.channelKey);
  const held = new Set(pauses.map((p) => p.questionId));
  const once = reported.filter((r) => !held.has(r.questionId) && current(r.questionId, r.version));
  const blocks: Block[] = [{ type: 'heading', text: t(ctx.lang, 'admin.questionsHeading') }];
  if (pauses.length === 0) blocks.push({ type: 'text', text: t(ctx.lang, 'admin.questionsNone') });
  for (const pause of pauses.slice(0, SHOWN_QUESTIONS)) {
    const standing = await ctx.store.questionStanding(ctx.channelKey, pause.questionId, pause.version);
    blocks.push({
      type: 'text',
      text: questionText(ctx, pause.questionId, t(ctx.lang, `admin.questionWhy.${pause.reason}`), standing),
    });
  }
  if (once.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'heading', text: t(ctx.lang, 'admin.questionsReported') });
    for (const r of once.slice(0, SHOWN_QUESTIONS)) {
      const standing = await ctx.store.questionStanding(ctx.channelKey, r.questionId, r.version);
      blocks.push({ type: 'text', text: questionText(ctx, r.questionId, null, standing) });
    }
  }
  blocks.push({
    type: 'context',
    text: `${t(ctx.lang, 'admin.questionsRule')}\n${t(ctx.lang, 'admin.questionsResume')}`,
  });
  return {
    replies: [{ visibility: 'private', blocks } satisfies Reply],
    data: {
      task: 'questions',
      held: pauses.map((p) => ({
        id: p.questionId,
        reason: p.reason,
        source: sourceOf(ctx, p.questionId),
      })),
      reportedOnce: once.map((r) => r.questionId),
    },
  };
}

/** Where a question is fixed: `quizzes/x.yaml:12` for a curated one, or what made it. */
function sourceOf(ctx: Pick<CommandContext, 'catalog' | 'bank'>, id: string): string | null {
  const at = ctx.catalog.questionSources.get(id);
  if (at) return `${at.file}:${at.line}`;
  return ctx.bank.byId(id)?.origin ?? null;
}

function questionText(
  ctx: CommandContext,
  id: string,
  why: string | null,
  standing: QuestionStanding,
): string {
  const lang: Lang = ctx.lang;
  const found = ctx.bank.byId(id);
  const at = ctx.catalog.questionSources.get(id);
  const where = at
    ? `\`catalog/${at.file}:${at.line}\``
    : t(
        lang,
        found
          ? found.origin === 'imported'
            ? 'admin.questionImported'
            : 'admin.questionGenerated'
          : 'admin.questionGone',
      );
  const record =
    standing.players === 0 || standing.medianMs === null
      ? t(lang, 'admin.questionNoRecord')
      : t(lang, 'admin.questionRecord', {
          players: standing.players,
          share: Math.round((standing.correct / standing.players) * 100),
          median: t(lang, 'admin.questionSeconds', { seconds: (standing.medianMs / 1000).toFixed(1) }),
        });
  const lines = [`**\`${id}\`** · ${where}${why ? ` · ${why}` : ''}`];
  if (found) lines.push(neutralizeMentions(found.question.question[lang]));
  lines.push(record);
  for (const r of standing.reports) {
    const reason = t(lang, 'admin.questionReportLine', { reason: t(lang, `report.reason.${r.reason}`) });
    lines.push(`• ${reason}${r.note ? `: "${neutralizeMentions(r.note)}"` : ''}`);
  }
  return lines.join('\n');
}
