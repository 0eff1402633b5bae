import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import type { Reply } from '../reply/model.ts';
import type { Command } from './command.ts';

/** At most this many problems go into the reply; the rest are counted (the log has them all). */
const SHOWN_PROBLEMS = 10;

const privately = (text: string): Reply[] => [{ visibility: 'private', blocks: [{ type: 'text', text }] }];

/**
 * `/orch admin reload`: reads the catalog files again. A broken edit is reported to the admin, file and line, and
 * the last good catalog stays in service. Admins only, since a reload costs the whole process a re-index.
 */
export const admin: Command = {
  name: 'admin',
  aliases: ['관리'],
  description: { en: 'Operator tasks: reload the catalog', ko: '운영 작업: 카탈로그 다시 읽기' },
  options: [{ name: 'task', description: { en: 'reload', ko: 'reload (다시 읽기)' }, required: true }],
  async run(ctx, rest) {
    const task = rest.trim().toLowerCase();
    if (task !== 'reload' && task !== '다시읽기') return privately(t(ctx.lang, 'admin.usage'));
    if (!(await isAdminUser(ctx.incoming.who))) return privately(t(ctx.lang, 'admin.only'));
    if (!ctx.reloadCatalog) return privately(t(ctx.lang, 'admin.unavailable'));
    const outcome = await ctx.reloadCatalog();
    if (outcome.ok) {
      return privately(
        t(ctx.lang, 'admin.reloaded', {
          tools: outcome.tools,
          lessons: outcome.lessons,
          questions: outcome.questions,
        }),
      );
    }
    const count = outcome.problems.length + outcome.omitted;
    const shown = outcome.problems.slice(0, SHOWN_PROBLEMS).map((p) => `• ${p}`);
    if (count > SHOWN_PROBLEMS) shown.push(`… +${count - SHOWN_PROBLEMS}`);
    return privately(t(ctx.lang, 'admin.rejected', { count, problems: shown.join('\n') }));
  },
};
