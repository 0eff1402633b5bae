import { replyFor } from './ask.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

/** `/orch compare <a> <b> [c]`: tools side by side; names may be separated by spaces, commas or "vs". */
export const compare: Command = {
  name: 'compare',
  lookup: true,
  aliases: ['비교'],
  description: { en: 'Compare tools side by side', ko: '도구 나란히 비교' },
  help: {
    group: 'lookup',
    example: { en: '/orch compare envoy contour', ko: '/orch 비교 엔보이 컨투어' },
    syntax: [
      {
        usage: { en: '/orch compare <a> <b> [c]', ko: '/orch 비교 <도구1> <도구2> [도구3]' },
        what: {
          en: 'tools side by side; names may be separated by spaces, commas or "vs"',
          ko: '도구를 나란히 비교해요. 이름은 띄어쓰기, 쉼표, vs로 나눠요',
        },
      },
      {
        usage: { en: '/orch istio vs linkerd', ko: '/orch 이스티오 링커디 비교' },
        what: { en: 'the same, without the command word', ko: '명령어 없이 써도 같아요' },
      },
    ],
  },
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
    if (rest.trim() === '') throw new UsageError('usage.compareNames');
    const result = ctx.engine.answer(`compare ${rest}`);
    if (result.intent === 'compare') return [replyFor(ctx, result)];
    return [replyFor(ctx, { ...result, intent: 'not_found', toolIds: [], categoryId: null })];
  },
};
