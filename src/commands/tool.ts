import { replyFor } from './ask.ts';
import type { Command } from './command.ts';

/** `/orch tool <name>`: a tool card, or not-found with suggestions when the name is no tool. */
export const tool: Command = {
  name: 'tool',
  lookup: true,
  aliases: ['도구'],
  description: { en: 'Show a tool card', ko: '도구 카드 보기' },
  options: [
    { name: 'name', description: { en: 'Tool name', ko: '도구 이름' }, required: true, autocomplete: 'tool' },
  ],
  run(ctx, rest) {
    const result = ctx.engine.answer(rest);
    if (result.intent === 'tool') return [replyFor(ctx, result)];
    const suggestions = result.toolIds.length > 0 ? result.toolIds.slice(0, 3) : result.suggestions;
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null, suggestions })];
  },
};
