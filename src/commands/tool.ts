import { replyFor } from './ask.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

/** `/orch tool <name>`: a tool card, or not-found with suggestions when the name is no tool. */
export const tool: Command = {
  name: 'tool',
  lookup: true,
  aliases: ['도구'],
  personal: true,
  description: { en: 'Show a tool card', ko: '도구 카드 보기' },
  help: {
    group: 'lookup',
    example: { en: '/orch tool envoy', ko: '/orch 도구 엔보이' },
    syntax: [
      {
        usage: { en: '/orch tool <name>', ko: '/orch 도구 <이름>' },
        what: {
          en: 'the card of one tool, or suggestions when the name is no tool',
          ko: '도구 하나의 카드를 보여 줘요. 없는 이름이면 비슷한 도구를 알려 줘요',
        },
      },
    ],
  },
  options: [
    { name: 'name', description: { en: 'Tool name', ko: '도구 이름' }, required: true, autocomplete: 'tool' },
  ],
  run(ctx, rest) {
    if (rest.trim() === '') throw new UsageError('usage.toolName');
    const result = ctx.engine.answer(rest);
    // Discord's autocomplete of this option offers glossary concepts too, and `/orch tool pod` deserves their card.
    if (result.intent === 'tool' || result.intent === 'concept') return [replyFor(ctx, result)];
    const suggestions = result.toolIds.length > 0 ? result.toolIds.slice(0, 3) : result.suggestions;
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null, suggestions })];
  },
};
