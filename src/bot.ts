import { REPORT_FORM_ID, reportFormLang, submitReport } from './actions/quiz-report.ts';
import { findAction, pressLang, runPress } from './actions/registry.ts';
import type { Catalog } from './catalog/model.ts';
import { formatChannelKey, reachableChannelKey } from './channel-key.ts';
import type { Command, CommandAnswer, CommandData, PagesAddress } from './commands/command.ts';
import { commandWord } from './commands/help.ts';
import { COMMANDS, type CommandContext, DEFAULT_COMMAND, findCommand } from './commands/index.ts';
import { findShortcut } from './commands/message-shortcuts.ts';
import { formLang, formTarget, SETTINGS_FORM_ID, submitSettings } from './commands/settings-form.ts';
import { type Suggestion, suggestionsFor } from './commands/suggestions.ts';
import { UsageError } from './commands/usage-error.ts';
import { DEFAULT_LANG, DEFAULT_TIME_ZONE } from './defaults.ts';
import { UserError } from './errors.ts';
import { isLang, type Lang, t } from './i18n/messages.ts';
import { understandPhrase } from './i18n/phrases.ts';
import { DIRECT_SPACE, type Incoming, langFromLocale } from './incoming.ts';
import {
  type CatalogReloadOutcome,
  type Clock,
  type CommandOutcome,
  type Logger,
  type Metrics,
  noMetrics,
  type Poster,
  silentLogger,
  systemClock,
} from './ports.ts';
import { QueryEngine } from './query/engine.ts';
import { hasHangul } from './query/hangul.ts';
import { QuestionBank } from './quiz/bank.ts';
import type { TargetShare } from './quiz/question-health.ts';
import { QuizService, type Timers } from './quiz/rounds.ts';
import { privateText, type Reply } from './reply/model.ts';
import type { ChannelSettings, Store } from './store/store.ts';

/** A longer message is not a question about a tool; refusing it keeps the engine's cost bounded. */
export const MAX_INPUT_LENGTH = 500;

const CHOICE_SETTINGS_TTL_MS = 5_000;

/** What the bot needs; adapters build this from the parsed config. */
export interface BotOptions {
  catalog: Catalog;
  /** The share answered right a quiz round prefers its questions to have (default 60–80%). */
  quizTarget?: TargetShare;
  /** The answer language when neither a flag, the channel nor Hangul in the text decides (default `ko`). */
  defaultLang?: Lang;
  /** The zone of a schedule when the admin names none (default Asia/Seoul). */
  defaultTimeZone?: string;
  store: Store;
  /** Posts outside a request: quiz questions, reveals, scores. */
  poster: Poster;
  clock?: Clock;
  logger?: Logger;
  /** Counters and timings for operators (Prometheus in the server). */
  metrics?: Metrics;
  /** The platforms this process posts to (the server sets it); every platform when absent. */
  platforms?: readonly string[];
  /** Reads the catalog files again, for `/orch admin reload`; the runtime provides it. */
  reloadCatalog?: () => Promise<CatalogReloadOutcome>;
  /** Deadline timers; tests hand in their own and call `quiz.tick()` instead. */
  timers?: Timers;
  /** The channels' pages this process serves (the server); absent where none are served (the console). */
  pages?: PagesAddress;
}

/**
 * One event's outcome: the replies people read and, beside them, platform-neutral facts for scripts (the console's
 * `ask --json`). Adapters that only post replies use `handle`.
 */
export interface BotAnswer {
  replies: Reply[];
  /** The command that ran (`ask` for free text), or the button's action id. */
  command: string;
  /** What was answered: the command's name, or for a lookup the engine's intent (`tool`, `compare`, `not_found`, …). */
  intent: string;
  /**
   * `ok`: answered; `refused`: a well-formed request the bot declined (not an admin, a round already running);
   * `usage`: the line could not be read and nothing was done; `error`: a failure, apologised for.
   */
  outcome: 'ok' | 'refused' | 'usage' | 'error';
  /** The message key of a refusal or usage error. */
  errorKey?: string;
  /** The answer language, then what the command reports (lesson number and id, the schedule, scores, …). */
  data: CommandData;
  /**
   * A submitted form that was refused field by field (nothing changed): field id → what is wrong, in the form's
   * language. A platform that shows errors on the fields (Slack) shows these; the replies say the same in text.
   */
  fieldErrors?: Record<string, string>;
}

/** The platform-neutral bot: one call per incoming event. */
export interface Bot {
  /** The catalog in service; replaced by `useCatalog` on a reload. */
  readonly catalog: Catalog;
  readonly engine: QueryEngine;
  /** The quiz rounds: `resume()` at start-up, `close()` at shutdown, `tick()` when time was moved by hand. */
  readonly quiz: QuizService;
  handle(incoming: Incoming): Promise<Reply[]>;
  /** `handle` with the outcome and the command's facts for scripts. */
  answer(incoming: Incoming): Promise<BotAnswer>;
  /**
   * Serves a newly loaded (already validated) catalog from the next event on. Indexes are built before the swap, so
   * requests in flight finish on the old catalog and none sees a half-built one; a caller that built them already
   * (a step at a time, see QueryEngine.build) hands them in.
   */
  useCatalog(catalog: Catalog, built?: { engine: QueryEngine; bank: QuestionBank }): void;
  /**
   * Claims one delivery of a platform event (an event id, a trigger id, a Socket Mode envelope) for `forMs` on
   * the bot's clock: true for exactly one caller, across replicas, so an adapter acknowledges a retried or
   * redelivered event without running it again.
   */
  claimDelivery(key: string, forMs: number): Promise<boolean>;
  /**
   * What to offer while a member types the option `option` of `command` (Discord autocomplete), in the language
   * their locale or the typed Hangul says; nothing for an option that offers nothing. Reads no store: a platform
   * wants the list within its deadline on every keystroke.
   */
  suggest(command: string, option: string, typed: string, locale?: string): Suggestion[];
}

interface ParsedLine {
  command: string | undefined;
  rest: string;
  lang: Lang | undefined;
}

/** Pulls `--lang ko` / `--lang=en` out of a line and splits the first word off; an unknown option is a UsageError. */
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
      if (!isLang(value)) throw new UsageError('error.badLang', { value: value || '(none)' });
      lang = value;
    } else if (/^--[a-z]/i.test(word)) {
      throw new UsageError('error.unknownOption', { name: word.slice(0, 40) });
    } else {
      kept.push(word);
    }
  }
  // Tolerate a leading "/orch" (typed in the console, or pasted) without making it the command word.
  if (kept[0] !== undefined && /^\/?orch$/i.test(kept[0])) kept.shift();
  const line = understandPhrase(kept, (word) => findCommand(word)?.name);
  const first = line[0];
  const command = first !== undefined && findCommand(first) ? first : undefined;
  return { command, rest: (command ? line.slice(1) : line).join(' '), lang };
}

/** An Incoming as the dispatch sees it, a `home` opening having become the `me` command. */
type CommandOrChoice = Exclude<Incoming, { kind: 'home' }>;

/** The command that answers a member opening their personal page. */
const ME_COMMAND = 'me';

/** How many distinct lookups (language, command, text) keep their replies. */
const LOOKUP_CACHE_SIZE = 512;

/**
 * Replies of lookup commands by language, command and text, least recently used out first. Cached replies are
 * frozen, since every request with the same question gets the very same objects (an adapter may memoize their
 * rendering by identity).
 */
class LookupCache {
  private readonly entries = new Map<string, Answered>();

  /** `counted` hears every hit and miss (the metrics), so figures taken under load can say which they measured. */
  constructor(private readonly counted: (result: 'hit' | 'miss') => void) {}

  async get(lang: Lang, command: string, text: string, compute: () => Promise<Answered>): Promise<Answered> {
    const key = `${lang}\u0000${command}\u0000${text.trim()}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.counted('hit');
      return hit;
    }
    this.counted('miss');
    const computed = await compute();
    const replies = computed.replies.map((reply) => Object.freeze(reply));
    Object.freeze(replies);
    const answer = Object.freeze({ ...computed, replies });
    this.entries.set(key, answer);
    if (this.entries.size > LOOKUP_CACHE_SIZE)
      this.entries.delete(this.entries.keys().next().value as string);
    return answer;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A command's answer with the intent it reports (a lookup's engine intent), when it reports one. */
type Answered = CommandAnswer & { intent?: string };

/** A command's output as one shape; a lookup's facts travel in its reply's `meta`. */
function normalized(output: Reply[] | CommandAnswer): Answered {
  if (!Array.isArray(output)) return output;
  const meta = output[0]?.meta;
  if (!meta) return { replies: output, data: {} };
  const { intent, ...facts } = meta;
  return { replies: output, data: facts, intent };
}

/** Builds the bot around a loaded catalog. */
export function createBot(options: BotOptions): Bot {
  const { store, poster } = options;
  let catalog = options.catalog;
  let engine = new QueryEngine(catalog);
  let bank = new QuestionBank(catalog);
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noMetrics;
  const defaultLang = options.defaultLang ?? DEFAULT_LANG;
  const clock = options.clock ?? systemClock;
  const defaultTimeZone = options.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  const quiz = new QuizService({
    store,
    catalog,
    engine,
    bank,
    poster,
    clock,
    logger,
    metrics,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.quizTarget ? { targetShare: options.quizTarget } : {}),
  });

  // Button presses come in bursts (a quiz question, a thousand members); they only need the channel's language,
  // so they may use settings read up to a few seconds ago. Commands, which can change settings, always read anew.
  const recent = new Map<string, { at: number; channel: Promise<ChannelSettings | null> }>();
  // After a lesson the whole group looks up the same few tools; their cards are computed once per language.
  const lookups = new LookupCache((result) => metrics.lookupCache(result));
  const readChannel = (key: string, mayUseRecent: boolean): Promise<ChannelSettings | null> => {
    const now = clock.now().getTime();
    const hit = recent.get(key);
    if (mayUseRecent && hit && now - hit.at < CHOICE_SETTINGS_TTL_MS) return hit.channel;
    // The promise is kept, not its value, so a burst arriving together shares one read.
    const channel = store.getChannel(key);
    if (recent.size > 10_000) recent.clear();
    recent.set(key, { at: now, channel });
    channel.catch(() => recent.delete(key));
    return channel;
  };

  const langFor = (
    incoming: CommandOrChoice,
    channel: ChannelSettings | null,
    explicit: Lang | undefined,
  ): Lang => {
    if (explicit) return explicit;
    if (channel?.lang) return channel.lang;
    if (incoming.kind === 'command' && hasHangul(incoming.text)) return 'ko';
    return langFromLocale(incoming.locale) ?? defaultLang;
  };

  const handle = async (
    incoming: CommandOrChoice,
    report: (command: string, outcome: CommandOutcome) => void,
  ): Promise<BotAnswer> => {
    const key = formatChannelKey(incoming.where);
    let lang = langFor(incoming, null, undefined);
    // Metric labels must stay few: a button's action id comes from the platform and could be anything.
    let commandName =
      incoming.kind === 'choice'
        ? (findAction(incoming.actionId)?.id ?? 'unknown')
        : incoming.kind === 'submit'
          ? incoming.formId === SETTINGS_FORM_ID
            ? 'settings'
            : incoming.formId === REPORT_FORM_ID
              ? 'report'
              : 'unknown'
          : incoming.kind === 'shortcut'
            ? (findShortcut(incoming.shortcut)?.id ?? 'unknown')
            : DEFAULT_COMMAND.name;
    let ran: Command | undefined;
    try {
      const channel = await readChannel(key, incoming.kind === 'choice');
      // A button carries the language of the message it sits on (older buttons do not); a form, the one it was shown in.
      lang = langFor(
        incoming,
        channel,
        incoming.kind === 'choice'
          ? (pressLang(incoming.value) ?? undefined)
          : incoming.kind === 'submit'
            ? ((incoming.formId === REPORT_FORM_ID ? reportFormLang(incoming.state) : formLang(incoming)) ??
              undefined)
            : undefined,
      );
      const context = (l: Lang): CommandContext => ({
        incoming,
        lang: l,
        catalog,
        engine,
        store,
        clock,
        channelKey: key,
        channel,
        defaultTimeZone,
        quiz,
        bank,
        commands: COMMANDS,
        poster,
        ...(options.reloadCatalog ? { reloadCatalog: options.reloadCatalog } : {}),
        ...(options.pages ? { pages: options.pages } : {}),
      });
      // A submitted form's answer: refused field by field (nothing changed), or its replies.
      const submitted = (answered: {
        replies: Reply[];
        fieldErrors?: Record<string, string>;
        data?: CommandData;
      }): BotAnswer => {
        report(commandName, answered.fieldErrors ? 'user_error' : 'ok');
        return {
          replies: answered.replies,
          command: commandName,
          intent: commandName,
          outcome: answered.fieldErrors ? 'usage' : 'ok',
          data: { lang, ...answered.data },
          ...(answered.fieldErrors ? { fieldErrors: answered.fieldErrors } : {}),
        };
      };
      // A direct message (a user-installed app) has no channel: only what reads the member's own study answers.
      const direct = incoming.where.space === DIRECT_SPACE;
      if (incoming.kind === 'choice') {
        if (direct && !findAction(incoming.actionId)?.personal) throw new UserError('error.personalOnly');
        const replies = await runPress(context(lang), incoming.actionId, incoming.value);
        report(commandName, 'ok');
        return { replies, command: commandName, intent: commandName, outcome: 'ok', data: { lang } };
      }
      if (incoming.kind === 'submit' && incoming.formId === REPORT_FORM_ID) {
        if (direct) throw new UserError('error.personalOnly');
        return submitted(await submitReport(context(lang), incoming.state, incoming.values));
      }
      if (incoming.kind === 'submit') {
        if (incoming.formId !== SETTINGS_FORM_ID) throw new UserError('error.unknownForm');
        // A form opened from a personal view names the channel it changes; it must be one the submitter can reach
        // from here (same workspace, or any guild from a DM), as the button that opened it had to be.
        const target = formTarget(incoming);
        if (target === 'bad') throw new UserError('error.unknownForm');
        const formKey = target ? reachableChannelKey(incoming.where, target.space, target.channel) : key;
        if (formKey === null) throw new UserError('error.unknownForm');
        const formChannel = formKey === key ? channel : await store.getChannel(formKey);
        // The form changes the channel's settings; the next button press reads them anew.
        recent.delete(formKey);
        return submitted(
          await submitSettings(
            { ...context(lang), channelKey: formKey, channel: formChannel },
            incoming.state,
            incoming.values,
          ),
        );
      }
      if (incoming.kind === 'shortcut') {
        // Reads the catalog only (the message's text is not a command), so it answers in a direct message too.
        const shortcut = findShortcut(incoming.shortcut);
        if (!shortcut) throw new UserError('error.unknownChoice');
        const replies = await shortcut.run(context(lang), incoming.text);
        report(commandName, 'ok');
        return { replies, command: commandName, intent: commandName, outcome: 'ok', data: { lang } };
      }
      if (incoming.text.length > MAX_INPUT_LENGTH) {
        throw new UsageError('error.tooLong', { length: incoming.text.length, max: MAX_INPUT_LENGTH });
      }
      const line = parseLine(incoming.text);
      lang = langFor(incoming, channel, line.lang);
      const command = (line.command && findCommand(line.command)) || DEFAULT_COMMAND;
      commandName = command.name;
      ran = command;
      if (direct && !command.personal) throw new UserError('error.personalOnly');
      // A command may change the channel's settings; the next button press reads them anew.
      recent.delete(key);
      const run = async () => normalized(await command.run(context(lang), line.rest));
      const answered = command.lookup ? await lookups.get(lang, command.name, line.rest, run) : await run();
      report(commandName, 'ok');
      const intent = answered.intent ?? command.name;
      return {
        replies: answered.replies,
        command: command.name,
        intent,
        outcome: 'ok',
        data: { lang, ...answered.data },
      };
    } catch (error) {
      if (error instanceof UserError) {
        report(commandName, 'user_error');
        const usage = error instanceof UsageError;
        let text = t(lang, error.key, error.vars);
        // A line the command could not read points at that command's full syntax.
        if (usage && ran) text += `\n${t(lang, 'usage.seeHelp', { command: commandWord(ran, lang) })}`;
        return {
          replies: [privateText(text)],
          command: commandName,
          intent: commandName,
          outcome: usage ? 'usage' : 'refused',
          errorKey: error.key,
          data: { lang },
        };
      }
      report(commandName, 'error');
      logger.error(
        {
          err: error,
          platform: incoming.where.platform,
          channel: incoming.where.channel,
          command: commandName,
        },
        'command failed',
      );
      return {
        replies: [privateText(t(lang, 'error.apology'))],
        command: commandName,
        intent: commandName,
        outcome: 'error',
        data: { lang },
      };
    }
  };

  const answer = async (received: Incoming): Promise<BotAnswer> => {
    if (received.who.isBot) return { replies: [], command: 'none', intent: 'none', outcome: 'ok', data: {} };
    // Opening one's personal page asks what `me` answers; one path, so both say the same.
    const incoming: CommandOrChoice =
      received.kind === 'home' ? { ...received, kind: 'command', text: ME_COMMAND } : received;
    const started = performance.now();
    return handle(incoming, (command, outcome) =>
      metrics.commandHandled(command, incoming.kind, outcome, (performance.now() - started) / 1000),
    );
  };

  return {
    get catalog() {
      return catalog;
    },
    get engine() {
      return engine;
    },
    quiz,
    async handle(incoming) {
      return (await answer(incoming)).replies;
    },
    answer,
    useCatalog(next, built) {
      const nextEngine = built?.engine ?? new QueryEngine(next);
      const nextBank = built?.bank ?? new QuestionBank(next);
      catalog = next;
      engine = nextEngine;
      bank = nextBank;
      lookups.clear();
      quiz.useCatalog(next, nextEngine, nextBank);
    },
    suggest(commandName, optionName, typed, locale) {
      const option = findCommand(commandName)?.options.find((o) => o.name === optionName);
      if (!option) return [];
      const lang = hasHangul(typed) ? 'ko' : (langFromLocale(locale) ?? defaultLang);
      return suggestionsFor(option, typed, lang, { catalog, engine });
    },
    claimDelivery(key, forMs) {
      const now = clock.now().getTime();
      return store.claimDelivery(key, now, now + forMs);
    },
  };
}

export { COMMANDS };
