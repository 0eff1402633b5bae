import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from '../reply/model.ts';
import { type Command, HELP_GROUPS } from './command.ts';
import { UsageError } from './usage-error.ts';

/** The word a reader types for a command: its Korean alias on the Korean card, else its name. */
export function commandWord(command: Command, lang: Lang): string {
  if (lang === 'en') return command.name;
  return command.aliases.find((a) => /[\uac00-\ud7a3]/.test(a)) ?? command.name;
}

/**
 * The help card: every command by group, one example each, in the reader's language. It is built from the
 * commands themselves, so a new command is on it without anyone editing this.
 */
export function helpReply(commands: readonly Command[], lang: Lang): Reply {
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'help.heading') },
    { type: 'text', text: t(lang, 'help.intro') },
  ];
  for (const group of HELP_GROUPS) {
    const members = commands.filter((c) => c.help.group === group);
    if (members.length === 0) continue;
    blocks.push({ type: 'heading', text: t(lang, `help.group.${group}`) });
    blocks.push({
      type: 'fields',
      fields: members.map((c) => ({ label: `\`${c.help.example[lang]}\``, value: c.description[lang] })),
    });
  }
  blocks.push({ type: 'context', text: `${t(lang, 'help.topics')} ${t(lang, 'help.lang')}` });
  return { visibility: 'private', blocks };
}

/** `help <command>`: every form of one command, its other names and who may use it. */
export function commandHelpReply(command: Command, lang: Lang): Reply {
  const { help } = command;
  const syntax = help.syntax.map((line) => `\`${line.usage[lang]}\`\n${line.what[lang]}`).join('\n\n');
  const names = [command.name, ...command.aliases].map((n) => `\`${n}\``).join(', ');
  return {
    visibility: 'private',
    blocks: [
      { type: 'heading', text: t(lang, 'help.topic.heading', { name: commandWord(command, lang) }) },
      { type: 'text', text: command.description[lang] },
      { type: 'text', text: `**${t(lang, 'help.topic.syntax')}**\n${syntax}` },
      {
        type: 'fields',
        fields: [
          { label: t(lang, 'help.topic.example'), value: `\`${help.example[lang]}\`` },
          { label: t(lang, 'help.topic.names'), value: names },
          {
            label: t(lang, 'help.topic.who'),
            value: help.admin ? help.admin[lang] : t(lang, 'help.topic.everyone'),
          },
        ],
      },
    ],
  };
}

/** Finds a help topic: a command's name or alias, with or without a leading `/orch`. */
function topicCommand(commands: readonly Command[], topic: string): Command | undefined {
  const word = topic
    .toLowerCase()
    .replace(/^\/?orch\s+/, '')
    .trim();
  return commands.find((c) => c.name === word || c.aliases.includes(word));
}

/** `/orch help`, `/orch help <command>`. */
export const help: Command = {
  name: 'help',
  aliases: ['도움말', '도움', '사용법'],
  description: {
    en: 'How to use orch, or one command in full',
    ko: 'orch 사용법, 또는 명령어 하나의 자세한 사용법',
  },
  help: {
    group: 'settings',
    example: { en: '/orch help quiz', ko: '/orch 도움말 퀴즈' },
    syntax: [
      {
        usage: { en: '/orch help', ko: '/orch 도움말' },
        what: { en: 'every command with an example', ko: '모든 명령어와 예시' },
      },
      {
        usage: { en: '/orch help <command>', ko: '/orch 도움말 <명령어>' },
        what: {
          en: 'one command in full: every form, its other names, who may use it',
          ko: '명령어 하나의 모든 사용법, 다른 이름, 사용 권한',
        },
      },
    ],
  },
  options: [
    {
      name: 'topic',
      description: { en: 'A command to explain in full', ko: '자세히 볼 명령어' },
      required: false,
      choices: 'commands',
    },
  ],
  run(ctx, rest) {
    const topic = rest.trim();
    if (topic === '') {
      return {
        replies: [helpReply(ctx.commands, ctx.lang)],
        data: { topic: null, commands: ctx.commands.map((c) => c.name) },
      };
    }
    const command = topicCommand(ctx.commands, topic);
    if (!command) {
      throw new UsageError('help.unknownTopic', {
        value: topic.slice(0, 30),
        topics: ctx.commands.map((c) => `\`${commandWord(c, ctx.lang)}\``).join(', '),
      });
    }
    return {
      replies: [commandHelpReply(command, ctx.lang)],
      data: {
        topic: command.name,
        group: command.help.group,
        aliases: command.aliases,
        example: command.help.example[ctx.lang],
        syntax: command.help.syntax.map((line) => line.usage[ctx.lang]),
        adminOnly: command.help.admin?.[ctx.lang] ?? null,
      },
    };
  },
};
