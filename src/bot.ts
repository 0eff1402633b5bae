import type { Catalog } from './catalog/model.ts';
import { COMMANDS, type CommandContext, DEFAULT_COMMAND, findCommand } from './commands/index.ts';
import { UserError } from './errors.ts';
import { isLang, type Lang, t } from './i18n/messages.ts';
import { channelKey, type Incoming, langFromLocale } from './incoming.ts';
import { LESSON_DONE_ACTION, lessonByNumber } from './lessons/lesson-replies.ts';
import { memberProgress } from './lessons/member-progress.ts';
import { type Clock, type Logger, silentLogger, systemClock } from './ports.ts';
import { QueryEngine } from './query/engine.ts';
import { hasHangul } from './query/hangul.ts';
import type { Reply } from './reply/model.ts';
import type { ChannelSettings, Store } from './store/store.ts';

/** A longer message is not a question about a tool; refusing it keeps the engine's cost bounded. */
export const MAX_INPUT_LENGTH = 500;

/** What the bot needs; adapters build this from the parsed config. */
export interface BotOptions {
  catalog: Catalog;
  /** The answer language when neither a flag, the channel nor Hangul in the text decides (default `ko`). */
  defaultLang?: Lang;
  /** The zone of a schedule when the admin names none (default Asia/Seoul). */
  defaultTimeZone?: string;
  store: Store;
  clock?: Clock;
  logger?: Logger;
}

/** The platform-neutral bot: one call per incoming event. */
export interface Bot {
  readonly catalog: Catalog;
  readonly engine: QueryEngine;
  handle(incoming: Incoming): Promise<Reply[]>;
}

interface ParsedLine {
  command: string | undefined;
  rest: string;
  lang: Lang | undefined;
}

/** Pulls `--lang ko` / `--lang=en` out of a line and splits the first word off; an unknown option is a UserError. */
export function parseLine(text: string): ParsedLine {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const kept: string[] = [];
  let lang: Lang | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const [flag, inline] = word.split('=', 2);
    if (flag === '--lang' || flag === '-l') {
      const value = (inline ?? words[++i] ?? '').toLowerCase();
      if (!isLang(value)) throw new UserError('error.badLang', { value: value || '(none)' });
      lang = value;
    } else if (/^--[a-z]/i.test(word)) {
      throw new UserError('error.unknownOption', { name: word.slice(0, 40) });
    } else {
      kept.push(word);
    }
  }
  // Tolerate a leading "/orch" (typed in the console, or pasted) without making it the command word.
  if (kept[0] !== undefined && /^\/?orch$/i.test(kept[0])) kept.shift();
  const first = kept[0];
  const command = first !== undefined && findCommand(first) ? first : undefined;
  return { command, rest: (command ? kept.slice(1) : kept).join(' '), lang };
}

const privateText = (text: string): Reply => ({ visibility: 'private', blocks: [{ type: 'text', text }] });

/** Builds the bot around a loaded catalog. */
export function createBot(options: BotOptions): Bot {
  const { catalog } = options;
  const engine = new QueryEngine(catalog);
  const logger = options.logger ?? silentLogger;
  const defaultLang = options.defaultLang ?? 'ko';
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const defaultTimeZone = options.defaultTimeZone ?? 'Asia/Seoul';

  const langFor = (incoming: Incoming, channel: ChannelSettings | null, explicit: Lang | undefined): Lang => {
    if (explicit) return explicit;
    if (channel?.lang) return channel.lang;
    if (incoming.kind === 'command' && hasHangul(incoming.text)) return 'ko';
    return langFromLocale(incoming.locale) ?? defaultLang;
  };

  /** A button press: only "done" on a lesson so far; quizzes add theirs. */
  const choose = async (
    incoming: Incoming & { kind: 'choice' },
    key: string,
    lang: Lang,
  ): Promise<Reply[]> => {
    if (incoming.actionId !== LESSON_DONE_ACTION) return [privateText(t(lang, 'error.unknownChoice'))];
    const number = Number(incoming.value);
    if (!Number.isInteger(number) || !lessonByNumber(catalog, number))
      return [privateText(t(lang, 'error.unknownChoice'))];
    const userId = incoming.who.userId;
    const fresh = await store.recordCompletion({
      channelKey: key,
      userId,
      lesson: number,
      completedAt: clock.now().getTime(),
    });
    if (!fresh) return [privateText(t(lang, 'done.already', { number }))];
    const { done, streak } = await memberProgress(store, key, userId);
    const text = t(lang, 'done.recorded', {
      number,
      streak: streak.current,
      done: done.length,
      total: catalog.roadmap.lessons.length,
    });
    return [privateText(text)];
  };

  return {
    catalog,
    engine,
    async handle(incoming) {
      if (incoming.who.isBot) return [];
      const key = channelKey(incoming.where);
      let lang = langFor(incoming, null, undefined);
      let commandName = incoming.kind === 'choice' ? incoming.actionId : DEFAULT_COMMAND.name;
      try {
        const channel = await store.getChannel(key);
        lang = langFor(incoming, channel, undefined);
        if (incoming.kind === 'choice') return await choose(incoming, key, lang);
        if (incoming.text.length > MAX_INPUT_LENGTH) {
          throw new UserError('error.tooLong', { length: incoming.text.length, max: MAX_INPUT_LENGTH });
        }
        const line = parseLine(incoming.text);
        lang = langFor(incoming, channel, line.lang);
        const command = (line.command && findCommand(line.command)) || DEFAULT_COMMAND;
        commandName = command.name;
        const ctx: CommandContext = {
          incoming,
          lang,
          catalog,
          engine,
          store,
          clock,
          channelKey: key,
          channel,
          defaultTimeZone,
        };
        return await command.run(ctx, line.rest);
      } catch (error) {
        if (error instanceof UserError) return [privateText(t(lang, error.key, error.vars))];
        logger.error({ err: error, command: commandName, channel: incoming.where.channel }, 'command failed');
        return [privateText(t(lang, 'error.apology'))];
      }
    },
  };
}

export { COMMANDS };
