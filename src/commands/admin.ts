import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import { privateText, type Reply } from '../reply/model.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

/** At most this many problems go into the reply; the rest are counted (the log has them all). */
const SHOWN_PROBLEMS = 10;

const privately = (text: string): Reply[] => [privateText(text)];

/**
 * `/orch admin reload`: reads the catalog files again. A broken edit is reported to the admin, file and line, and
 * the last good catalog stays in service. Admins only, since a reload costs the whole process a re-index.
 */
export const admin: Command = {
  name: 'admin',
  aliases: ['관리'],
  description: { en: 'Operator tasks: reload the catalog', ko: '운영 작업: 카탈로그 다시 읽기' },
  help: {
    group: 'settings',
    example: { en: '/orch admin reload', ko: '/orch 관리 다시읽기' },
    syntax: [
      {
        usage: { en: '/orch admin reload', ko: '/orch 관리 다시읽기' },
        what: {
          en: 'read the catalog files again; a broken edit is reported with file and line, and the last good catalog stays in service',
          ko: '카탈로그 파일을 다시 읽어요. 잘못 고친 파일은 파일과 줄 번호로 알려 주고, 마지막 정상 카탈로그를 계속 써요',
        },
      },
    ],
    admin: { en: 'admins only', ko: '관리자만 쓸 수 있어요' },
  },
  options: [{ name: 'task', description: { en: 'reload', ko: '다시읽기' }, required: true }],
  async run(ctx, rest) {
    const task = rest.trim().toLowerCase();
    if (task !== 'reload' && task !== '다시읽기')
      throw new UsageError('usage.adminTask', { value: task.slice(0, 20) || '-' });
    if (!(await isAdminUser(ctx.incoming.who)))
      return { replies: privately(t(ctx.lang, 'admin.only')), data: { task: 'reload', reloaded: false } };
    if (!ctx.reloadCatalog)
      return {
        replies: privately(t(ctx.lang, 'admin.unavailable')),
        data: { task: 'reload', reloaded: false },
      };
    const outcome = await ctx.reloadCatalog();
    if (outcome.ok) {
      return {
        replies: privately(
          t(ctx.lang, 'admin.reloaded', {
            tools: outcome.tools,
            lessons: outcome.lessons,
            questions: outcome.questions,
          }),
        ),
        data: {
          task: 'reload',
          reloaded: true,
          tools: outcome.tools,
          lessons: outcome.lessons,
          questions: outcome.questions,
        },
      };
    }
    const count = outcome.problems.length + outcome.omitted;
    const shown = outcome.problems.slice(0, SHOWN_PROBLEMS).map((p) => `• ${p}`);
    if (count > SHOWN_PROBLEMS) shown.push(`… +${count - SHOWN_PROBLEMS}`);
    return {
      replies: privately(t(ctx.lang, 'admin.rejected', { count, problems: shown.join('\n') })),
      data: { task: 'reload', reloaded: false, problems: outcome.problems, omitted: outcome.omitted },
    };
  },
};
