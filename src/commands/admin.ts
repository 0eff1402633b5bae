import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import { privateText, type Reply } from '../reply/model.ts';
import { adminQuestions } from './admin-questions.ts';
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
  description: {
    en: 'Admin tasks: reload the catalog, see held-out questions',
    ko: '관리 작업: 카탈로그 다시 읽기, 출제 보류 문제 보기',
  },
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
      {
        usage: { en: '/orch admin questions', ko: '/orch 관리 문제' },
        what: {
          en: "the questions held out of this channel's rounds (reported by two members, or far too hard or easy), with the file and line to fix each",
          ko: '이 채널에서 출제 보류된 문제(두 명이 신고했거나 너무 어렵거나 쉬운 문제)를 고칠 파일과 줄 번호와 함께 보여 줘요',
        },
      },
      {
        usage: { en: '/orch admin questions resume <id>', ko: '/orch 관리 문제 재개 <id>' },
        what: {
          en: 'ask a held-out question again as it is',
          ko: '출제 보류된 문제를 고치지 않고 다시 출제해요',
        },
      },
    ],
    admin: { en: 'admins only', ko: '관리자만 쓸 수 있어요' },
  },
  options: [
    { name: 'task', description: { en: 'reload, or questions', ko: '다시읽기 또는 문제' }, required: true },
  ],
  async run(ctx, rest) {
    const [first = '', ...args] = rest.trim().split(/\s+/);
    const task = first.toLowerCase();
    if (task === 'questions' || task === '문제') {
      if (!(await isAdminUser(ctx.incoming.who)))
        return { replies: privately(t(ctx.lang, 'admin.questionsOnly')), data: { task: 'questions' } };
      return adminQuestions(ctx, args);
    }
    if ((task !== 'reload' && task !== '다시읽기') || args.length > 0)
      throw new UsageError('usage.adminTask', { value: rest.trim().slice(0, 20) || '-' });
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
