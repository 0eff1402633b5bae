import { replyFor } from './ask.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

/** `/orch search <words>`: tools ranked by what they do, skipping name matching. */
export const search: Command = {
  name: 'search',
  lookup: true,
  aliases: ['검색', 'find', '찾기'],
  description: { en: 'Find tools by what they do', ko: '하는 일로 도구 찾기' },
  help: {
    group: 'lookup',
    example: {
      en: '/orch search distributed key value store',
      ko: '/orch 검색 분산 키 값 저장소',
    },
    syntax: [
      {
        usage: { en: '/orch search <words>', ko: '/orch 검색 <찾는 기능>' },
        what: {
          en: 'tools ranked by what they do, without matching names',
          ko: '이름이 아니라 하는 일로 도구를 찾아 순서대로 보여 줘요',
        },
      },
    ],
  },
  options: [
    { name: 'words', description: { en: 'What the tool should do', ko: '찾는 기능' }, required: true },
  ],
  run(ctx, rest) {
    if (rest.trim() === '') throw new UsageError('usage.searchWords');
    const result = ctx.engine.search(rest);
    return [replyFor(ctx, result)];
  },
};
