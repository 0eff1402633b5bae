import { categoryOverview } from '../reply/catalog-replies.ts';
import { replyFor } from './ask.ts';
import type { Command } from './command.ts';

/** `/orch category [name]`: one category's tools, or every category when no name is given. */
export const category: Command = {
  name: 'category',
  lookup: true,
  aliases: ['categories', '카테고리'],
  description: { en: 'List a category, or all categories', ko: '카테고리 목록 보기' },
  options: [{ name: 'name', description: { en: 'Category name', ko: '카테고리 이름' }, required: false }],
  run(ctx, rest) {
    if (rest.trim().length === 0) return [categoryOverview(ctx.catalog, ctx.lang)];
    const result = ctx.engine.answer(rest);
    if (result.intent === 'category') return [replyFor(ctx, result)];
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null })];
  },
};
