import type { QueryResult } from '../query/engine.ts';
import { adviceReply } from '../reply/advice-reply.ts';
import { categoryList, comparison, notFound, searchResults, toolCard } from '../reply/catalog-replies.ts';
import { conceptCard, conceptsLine } from '../reply/concept-card.ts';
import type { Reply } from '../reply/model.ts';
import type { Command, CommandContext } from './command.ts';
import { helpReply } from './help.ts';

/** Turns an engine answer into the reply for it, with the facts a script or test needs in `meta`. */
export function replyFor(ctx: CommandContext, result: QueryResult): Reply {
  const { catalog, lang } = ctx;
  const first = result.toolIds[0] ? catalog.toolById.get(result.toolIds[0]) : undefined;
  const concept = result.conceptId ? catalog.conceptById.get(result.conceptId) : undefined;
  let reply: Reply;
  if (result.intent === 'tool' && first) reply = toolCard(catalog, first, lang);
  else if (result.intent === 'concept' && concept) reply = conceptCard(catalog, concept, lang);
  else if (result.intent === 'category' && result.categoryId)
    reply = categoryList(catalog, result.categoryId, result.toolIds, lang);
  else if (result.intent === 'compare') reply = comparison(catalog, result.toolIds, lang, result.missing);
  else if (result.intent === 'advice') reply = adviceReply(catalog, result.toolIds, result.categoryId, lang);
  else if (result.intent === 'search') {
    reply = searchResults(catalog, result.normalized, result.toolIds, lang);
    // Concepts the words describe come after every tool the search found, never among them.
    const concepts = conceptsLine(catalog, ctx.engine.concepts.search(result.normalized), lang);
    if (concepts) reply = { ...reply, blocks: [...reply.blocks, concepts] };
  } else if (result.intent === 'help') reply = helpReply(ctx.commands, lang);
  else reply = notFound(catalog, result.normalized, result.suggestions, lang, result.missing);
  return {
    ...reply,
    meta: {
      intent: result.intent,
      toolIds: result.toolIds,
      categoryId: result.categoryId,
      suggestions: result.suggestions,
      ...(result.missing && result.missing.length > 0 ? { missing: result.missing } : {}),
      ...(concept ? { conceptId: concept.id } : {}),
      lang,
    },
  };
}

/** The default command: anything that is not another command's name is a question for the query engine. */
export const ask: Command = {
  name: 'ask',
  lookup: true,
  aliases: ['질문'],
  description: {
    en: 'Ask about a tool, a category, a comparison or a topic',
    ko: '도구, 카테고리, 비교, 주제를 물어보기',
  },
  help: {
    group: 'lookup',
    example: { en: '/orch istio vs linkerd', ko: '/orch 이스티오가 뭐야' },
    syntax: [
      {
        usage: { en: '/orch <anything>', ko: '/orch <아무 질문>' },
        what: {
          en: 'a tool card, a category, a comparison or a search, whichever the words mean; typos and Korean spellings are fine',
          ko: '말뜻에 맞춰 도구 카드, 카테고리, 비교, 검색 중 하나로 답해요. 오타나 한글 표기도 알아들어요',
        },
      },
      {
        usage: { en: '/orch <question> --lang en', ko: '/orch <질문> --lang ko' },
        what: { en: 'answer in this language (ko or en)', ko: '이 언어로 답해요 (ko 또는 en)' },
      },
    ],
  },
  options: [
    {
      name: 'question',
      description: { en: 'What to ask', ko: '질문 내용' },
      required: true,
      autocomplete: 'tool',
    },
  ],
  run(ctx, rest) {
    return [replyFor(ctx, ctx.engine.answer(rest))];
  },
};
