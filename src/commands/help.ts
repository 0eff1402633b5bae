import { type Lang, t } from '../i18n/messages.ts';
import type { Reply } from '../reply/model.ts';
import type { Command } from './command.ts';

/** The help card: what to type, with examples in the reader's language. */
export function helpReply(lang: Lang): Reply {
  const examples =
    lang === 'ko'
      ? [
          ['/orch 이스티오', t(lang, 'help.tool')],
          ['/orch 서비스 메시', t(lang, 'help.category')],
          ['/orch istio vs linkerd', t(lang, 'help.compare')],
          ['/orch search 분산 키 값 저장소', t(lang, 'help.search')],
          ['/orch category', t(lang, 'help.categories')],
        ]
      : [
          ['/orch istio', t(lang, 'help.tool')],
          ['/orch service mesh', t(lang, 'help.category')],
          ['/orch istio vs linkerd', t(lang, 'help.compare')],
          ['/orch search distributed key value store', t(lang, 'help.search')],
          ['/orch category', t(lang, 'help.categories')],
        ];
  return {
    visibility: 'private',
    blocks: [
      { type: 'heading', text: t(lang, 'help.heading') },
      { type: 'text', text: t(lang, 'help.intro') },
      {
        type: 'fields',
        fields: examples.map(([label, value]) => ({ label: `\`${label}\``, value: value ?? '' })),
      },
      { type: 'context', text: t(lang, 'help.lang') },
    ],
  };
}

/** `/orch help`. */
export const help: Command = {
  name: 'help',
  aliases: ['도움말', '도움', '사용법'],
  description: { en: 'How to use orch', ko: 'orch 사용법' },
  options: [],
  run(ctx) {
    return [helpReply(ctx.lang)];
  },
};
