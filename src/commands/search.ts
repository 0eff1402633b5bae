import { replyFor } from './ask.ts';
import type { Command } from './command.ts';

/** `/orch search <words>`: tools ranked by what they do, skipping name matching. */
export const search: Command = {
  name: 'search',
  lookup: true,
  aliases: ['검색', 'find', '찾기'],
  description: { en: 'Find tools by what they do', ko: '하는 일로 도구 찾기' },
  options: [
    { name: 'words', description: { en: 'What the tool should do', ko: '찾는 기능' }, required: true },
  ],
  run(ctx, rest) {
    const result = ctx.engine.search(rest);
    return [replyFor(ctx, result)];
  },
};
