import { categoryOverview } from '../reply/catalog-replies.ts';
import { replyFor } from './ask.ts';
import type { Command } from './command.ts';

/** `/orch category [name]`: one category's tools, or every category when no name is given. */
export const category: Command = {
  name: 'category',
  lookup: true,
  aliases: ['categories', '카테고리'],
  description: { en: 'List a category, or all categories', ko: '카테고리 목록 보기' },
  help: {
    group: 'lookup',
    example: { en: '/orch category service mesh', ko: '/orch 카테고리 서비스 메시' },
    syntax: [
      {
        usage: { en: '/orch category', ko: '/orch 카테고리' },
        what: { en: 'every category with its tools', ko: '모든 카테고리와 그 도구들' },
      },
      {
        usage: { en: '/orch category <name>', ko: '/orch 카테고리 <이름>' },
        what: { en: 'one category and its tools', ko: '카테고리 하나와 그 도구들' },
      },
    ],
  },
  options: [{ name: 'name', description: { en: 'Category name', ko: '카테고리 이름' }, required: false }],
  run(ctx, rest) {
    if (rest.trim().length === 0) {
      return {
        replies: [categoryOverview(ctx.catalog, ctx.lang)],
        data: { categoryIds: ctx.catalog.categories.map((c) => c.id) },
      };
    }
    const result = ctx.engine.answer(rest);
    if (result.intent === 'category') return [replyFor(ctx, result)];
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null })];
  },
};
