import { replyFor } from './ask.ts';
import type { Command } from './command.ts';

/** `/orch compare <a> <b> [c]`: tools side by side; names may be separated by spaces, commas or "vs". */
export const compare: Command = {
  name: 'compare',
  lookup: true,
  aliases: ['비교'],
  description: { en: 'Compare tools side by side', ko: '도구 나란히 비교' },
  options: [
    {
      name: 'first',
      description: { en: 'First tool', ko: '첫 번째 도구' },
      required: true,
      autocomplete: 'tool',
    },
    {
      name: 'second',
      description: { en: 'Second tool', ko: '두 번째 도구' },
      required: true,
      autocomplete: 'tool',
    },
  ],
  run(ctx, rest) {
    const result = ctx.engine.answer(`compare ${rest}`);
    if (result.intent === 'compare') return [replyFor(ctx, result)];
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null })];
  },
};
