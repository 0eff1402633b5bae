import { COMMANDS, type Command, MESSAGE_SHORTCUTS } from '../../src/index.ts';

/** The application command JSON for `/orch`: one subcommand per core command, in English with Korean localizations. */
export interface SlashCommandJson {
  name: string;
  description: string;
  description_localizations: { ko: string };
  /** Installable to a guild (0) and by a member for themselves (1), so `me`, `review` and `tool` work in DMs. */
  integration_types: (0 | 1)[];
  /** Usable in guilds (0), the bot's DM (1) and other DMs (2); `dm_permission` is deprecated for this. */
  contexts: (0 | 1 | 2)[];
  options: {
    type: 1;
    name: string;
    description: string;
    name_localizations?: { ko: string };
    description_localizations: { ko: string };
    options: {
      type: 3;
      name: string;
      description: string;
      description_localizations: { ko: string };
      required: boolean;
      autocomplete?: boolean;
      choices?: { name: string; name_localizations: { ko: string }; value: string }[];
    }[];
  }[];
}

// Discord's application integration types and interaction context types.
const GUILD_INSTALL = 0;
const USER_INSTALL = 1;
const GUILD = 0;
const BOT_DM = 1;
const PRIVATE_CHANNEL = 2;

// Discord's rule for command and option names: lower case letters (any script), digits, - and _, 1 to 32.
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const clip100 = (text: string) => (text.length <= 100 ? text : `${text.slice(0, 99)}…`);
// Discord allows at most this many fixed choices on one option.
const MAX_CHOICES = 25;

const koreanName = (command: Command) =>
  command.aliases.find((a) => /[\uac00-\ud7a3]/.test(a) && NAME.test(a));

/** Every command as a pick-list entry (the `help` topic): its name and what it does, in Korean too. */
function commandChoices(): NonNullable<SlashCommandJson['options'][number]['options'][number]['choices']> {
  return COMMANDS.slice(0, MAX_CHOICES).map((c) => ({
    name: clip100(`${c.name}: ${c.description.en}`),
    name_localizations: { ko: clip100(`${koreanName(c) ?? c.name}: ${c.description.ko}`) },
    value: c.name,
  }));
}

function subcommand(command: Command): SlashCommandJson['options'][number] {
  const korean = koreanName(command);
  return {
    type: 1,
    name: command.name,
    description: clip100(command.description.en),
    ...(korean ? { name_localizations: { ko: korean } } : {}),
    description_localizations: { ko: clip100(command.description.ko) },
    options: command.options.map((o) => ({
      type: 3,
      name: o.name,
      description: clip100(o.description.en),
      description_localizations: { ko: clip100(o.description.ko) },
      required: o.required,
      ...(o.autocomplete ? { autocomplete: true } : {}),
      ...(o.choices === 'commands' ? { choices: commandChoices() } : {}),
    })),
  };
}

/** Built from the core's command list, so a new command appears on Discord without touching this adapter. */
export function orchCommand(): SlashCommandJson {
  return {
    name: 'orch',
    description: 'Cloud-native orchestration study buddy: tools, roadmap lessons, quizzes',
    description_localizations: {
      ko: '클라우드 네이티브 오케스트레이션 스터디 도우미: 도구, 로드맵 레슨, 퀴즈',
    },
    // One `/orch` carries every subcommand, and contexts are per command: it is offered everywhere, and outside a
    // guild the core answers only the personal subcommands (Command.personal), refusing the rest privately.
    integration_types: [GUILD_INSTALL, USER_INSTALL],
    contexts: [GUILD, BOT_DM, PRIVATE_CHANNEL],
    options: COMMANDS.map(subcommand),
  };
}

/** A message context-menu command (type 3): a name only, no description nor options (Discord refuses them). */
export interface MessageCommandJson {
  type: 3;
  name: string;
  name_localizations: { ko: string };
  integration_types: (0 | 1)[];
  contexts: (0 | 1 | 2)[];
}

// A context-menu command's name: 1 to 32 characters, spaces and capitals allowed.
const clip32 = (text: string) => (text.length <= 32 ? text : text.slice(0, 32));

/**
 * The core's message shortcuts as context-menu commands ("Apps" on a message), offered wherever `/orch` is. Discord
 * sends back the registered English name whatever the member's language, which `shortcutOfCommand` maps back.
 */
export function messageCommands(): MessageCommandJson[] {
  return MESSAGE_SHORTCUTS.map((shortcut) => ({
    type: 3,
    name: clip32(shortcut.name.en),
    name_localizations: { ko: clip32(shortcut.name.ko) },
    integration_types: [GUILD_INSTALL, USER_INSTALL],
    contexts: [GUILD, BOT_DM, PRIVATE_CHANNEL],
  }));
}

/** The core's shortcut id for a context-menu command's name, if it is one of ours. */
export function shortcutOfCommand(name: string): string | undefined {
  return MESSAGE_SHORTCUTS.find((s) => clip32(s.name.en) === name)?.id;
}
