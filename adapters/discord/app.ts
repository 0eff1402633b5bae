import {
  type AutocompleteInteraction,
  Client,
  GatewayIntentBits,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  type RepliableInteraction,
  Routes,
} from 'discord.js';
import {
  type Bot,
  type Form,
  type Incoming,
  type InFlight,
  type Logger,
  langFromLocale,
  type MessageKey,
  privateText,
  type Reply,
  t,
} from '../../src/index.ts';
import { shortcutOfCommand } from './commands.ts';
import { formFallback, parseModalSubmit, renderDiscordModal, type SubmittedComponent } from './form.ts';
import {
  type InteractionFacts,
  parseButton,
  parseMessageShortcut,
  parseSlashCommand,
  threadOfRawChannel,
} from './parse.ts';
import { renderDiscord, SELECT_ID } from './render.ts';

/** What the Discord client needs. The bot comes later, in `attach`. */
export interface DiscordAppOptions {
  /** REST base (`…/api`) for a proxy or a test fake; Discord's own when absent. */
  apiUrl?: string;
  logger: Logger;
  now?: () => Date;
  /** Counts each interaction from its arrival to its answer, for a graceful shutdown to wait on. */
  inFlight?: InFlight;
}

const DEFER_AFTER_MS = 1500;
/** An interaction token lives 15 minutes: a redelivery after that could not be answered anyway. */
const SEEN_FOR_MS = 15 * 60_000;
/** Far above a busy guild's interactions in 15 minutes; the oldest are forgotten first beyond it. */
const SEEN_LIMIT = 50_000;

/**
 * Interaction ids this process has taken, for skipping what Discord delivers again (the same dispatch twice, or a
 * RESUME replaying dispatches already handled). In memory per process is enough: a guild's interactions all come
 * through one gateway session, and each guild is served by exactly one shard process; a restarted process opens a
 * new session (IDENTIFY), into which Discord replays nothing.
 */
export class SeenInteractions {
  // Insertion order is expiry order (one lifetime for all), so expired ids are always at the front.
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly limit = SEEN_LIMIT,
  ) {}

  /** True the first time an id comes (until it expires), false for a redelivery. */
  first(id: string): boolean {
    const at = this.now();
    for (const [old, expires] of this.expiries) {
      if (expires > at && this.expiries.size < this.limit) break;
      this.expiries.delete(old);
    }
    if (this.expiries.has(id)) return false;
    this.expiries.set(id, at + SEEN_FOR_MS);
    return true;
  }
}

/** What the guard reads of a raw INTERACTION_CREATE payload before discord.js builds an object of it. */
interface RawInteraction {
  id?: unknown;
  token?: unknown;
  locale?: unknown;
  type?: unknown;
  channel?: unknown;
}

/** discord.js's handler of INTERACTION_CREATE (private in the typings): the one place every interaction passes. */
interface InteractionAction {
  handle(data: unknown): void;
}

/** A private notice in the member's language (Korean or English by their Discord locale). */
function notice(locale: unknown, key: MessageKey, vars: Record<string, string> = {}): Reply {
  const lang = langFromLocale(typeof locale === 'string' ? locale : undefined) ?? 'en';
  return privateText(t(lang, key, vars));
}

function factsOf(
  interaction: Interaction,
  now: Date,
  thread: { threadId: string; parentId: string } | null,
): InteractionFacts {
  const member = interaction.member as { nick?: string | null } | null;
  const message = interaction.isButton() ? interaction.message : null;
  return {
    guildId: interaction.guildId,
    channelId: thread?.parentId ?? interaction.channelId,
    threadId: thread?.threadId ?? null,
    messageId: message && !message.flags.has(MessageFlags.Ephemeral) ? message.id : null,
    userId: interaction.user.id,
    displayName: member?.nick ?? interaction.user.globalName ?? interaction.user.username,
    isBot: interaction.user.bot,
    // Discord computes these for the channel and sends them with the interaction; a crafted client cannot raise them.
    permissions: interaction.memberPermissions?.bitfield.toString() ?? null,
    locale: interaction.locale ?? null,
    receivedAt: now,
  };
}

// The core hands out the very same frozen replies for a repeated lookup, so their wire body is serialized once.
const serialized = new WeakMap<Reply, string>();

/** The interaction callback body for a reply, as JSON text. */
function callbackBody(reply: Reply): string {
  let body = serialized.get(reply);
  if (body === undefined) {
    body = JSON.stringify({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: renderDiscord(reply),
    });
    if (Object.isFrozen(reply)) serialized.set(reply, body);
  }
  return body;
}

/** Answers an interaction with a reply through its callback route (no bot token: the interaction's own). */
async function postCallback(client: Client, id: string, token: string, reply: Reply): Promise<void> {
  // The rendered body is already in Discord's wire format, so it goes straight to the callback route instead of
  // through discord.js's message builder, which re-walks (and re-cases) every embed field of every answer.
  await client.rest.post(Routes.interactionCallback(id, token), {
    body: callbackBody(reply),
    passThroughBody: true,
    headers: { 'Content-Type': 'application/json' },
    auth: false,
  });
}

/** Shows a form as a modal: the interaction's one response (type 9), so it must be the first and come in time. */
async function postModal(
  client: Client,
  id: string,
  token: string,
  reply: Reply & { form: Form },
): Promise<void> {
  await client.rest.post(Routes.interactionCallback(id, token), {
    body: JSON.stringify({ type: InteractionResponseType.Modal, data: renderDiscordModal(reply.form) }),
    passThroughBody: true,
    headers: { 'Content-Type': 'application/json' },
    auth: false,
  });
}

const hasForm = (reply: Reply | undefined): reply is Reply & { form: Form } => reply?.form !== undefined;

/** A reply as text where a modal cannot be its answer (after a deferral, or to a submitted modal). */
const asText = (reply: Reply): Reply => (hasForm(reply) ? formFallback(reply) : reply);

async function answer(interaction: RepliableInteraction, replies: Reply[]): Promise<void> {
  const [first, ...rest] = replies;
  if (hasForm(first) && !interaction.isModalSubmit()) {
    await postModal(interaction.client, interaction.id, interaction.token, first);
    interaction.replied = true;
    for (const reply of rest) await interaction.followUp(renderDiscord(asText(reply)) as never);
    return;
  }
  if (!first) {
    // Every interaction must be answered; a press that produced nothing (another bot's) is acknowledged quietly.
    if (interaction.isButton()) await interaction.deferUpdate().catch(() => undefined);
    return;
  }
  await postCallback(interaction.client, interaction.id, interaction.token, asText(first));
  interaction.replied = true;
  for (const reply of rest) await interaction.followUp(renderDiscord(asText(reply)) as never);
}

/**
 * Answers an interaction within Discord's 3 seconds, whatever the answer waits for. Most take milliseconds and go
 * out as the interaction's reply. One still working after DEFER_AFTER_MS (a quiz start posting through a
 * rate-limited REST, a burst of channel posts at 09:00) is acknowledged first and answered when ready: a command
 * with a deferred private reply that is then edited in, a button press with a deferred update and follow-ups.
 */
async function answerInTime(interaction: RepliableInteraction, pending: Promise<Reply[]>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), DEFER_AFTER_MS);
  });
  const quick = await Promise.race([pending, late]).finally(() => clearTimeout(timer));
  if (quick) return answer(interaction, quick);
  if (interaction.isButton()) {
    // Leaves the message the button sits on as it is; each reply follows, private or not as it says.
    await interaction.deferUpdate();
    for (const reply of await pending) await interaction.followUp(renderDiscord(asText(reply)) as never);
    return;
  }
  // A deferred interaction cannot show a modal any more: a form goes out as its text.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const [first, ...rest] = await pending;
  if (first) await interaction.editReply(renderDiscord(asText(first)) as never);
  for (const reply of rest) await interaction.followUp(renderDiscord(asText(reply)) as never);
}

/**
 * Gives an event a `delivered` promise and returns what resolves it: the core holds back what a reply announces
 * (the reveal a quiz receipt promises) until the reply is out.
 */
function trackDelivery(incoming: Incoming): () => void {
  let resolve = (): void => undefined;
  incoming.delivered = new Promise<void>((done) => {
    resolve = done;
  });
  return resolve;
}

/**
 * The discord.js client with the Guilds intent only: `/orch` subcommands, buttons and tool autocomplete. The client
 * comes before the bot, whose poster needs the client's REST; `attach(bot)` then routes interactions to it, before
 * `client.login()` lets any arrive.
 */
export function createDiscordApp(options: DiscordAppOptions): {
  client: Client;
  /** Routes every interaction to `bot`: once, before `client.login()`. */
  attach(bot: Bot): void;
} {
  const now = options.now ?? (() => new Date());
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });

  // Every interaction passes here before discord.js builds an object of it. Two things are decided at this boundary:
  // a redelivered id is dropped before it can run again, and a payload discord.js cannot read (no member nor user,
  // a button without its message) throws here instead of inside the gateway's event emitter, where the throw is
  // uncaught and ends the process. Such a payload is answered, so the member is not left with "This interaction
  // failed", and nothing else is done with it.
  const seen = new SeenInteractions(() => now().getTime());
  const threads = new Map<string, { threadId: string; parentId: string }>();
  const action = (client as unknown as { actions: { InteractionCreate: InteractionAction } }).actions
    .InteractionCreate;
  const handle = action.handle.bind(action);
  action.handle = (data: unknown) => {
    const raw = (typeof data === 'object' && data !== null ? data : {}) as RawInteraction;
    const id = typeof raw.id === 'string' ? raw.id : null;
    if (id !== null && !seen.first(id)) {
      options.logger.info({ interaction: id }, 'discord delivered an interaction again; already handled');
      return;
    }
    // discord.js keeps only the id of the channel, and knows a thread's parent only when the thread is cached:
    // the raw payload says both, and is read here while discord.js dispatches the interaction synchronously.
    const thread = threadOfRawChannel(raw.channel);
    if (id !== null && thread) threads.set(id, thread);
    try {
      handle(data);
    } catch (error) {
      options.logger.warn(
        { err: error, interaction: id, type: raw.type ?? null },
        'discord sent an interaction discord.js cannot read; answered without running it',
      );
      if (id === null || typeof raw.token !== 'string') return;
      options.inFlight?.begin();
      postCallback(client, id, raw.token, notice(raw.locale, 'error.incompleteRequest'))
        .catch((failure: unknown) =>
          options.logger.error({ err: failure, interaction: id }, 'discord interaction failed'),
        )
        .finally(() => options.inFlight?.end());
    } finally {
      if (id !== null) threads.delete(id);
    }
  };

  let attached = false;
  const attach = (bot: Bot): void => {
    if (attached) throw new Error('the Discord client already has its bot');
    attached = true;
    client.on('interactionCreate', (interaction) => answerInteraction(bot, interaction));
  };

  const autocomplete = async (bot: Bot, interaction: AutocompleteInteraction): Promise<void> => {
    // The core knows what each option offers (tools, quiz topics, lessons); the adapter only says which is typed.
    const focused = interaction.options.getFocused(true);
    const sub = interaction.options.getSubcommand(false) ?? 'ask';
    await interaction.respond(bot.suggest(sub, focused.name, String(focused.value), interaction.locale));
  };

  const answerInteraction = (bot: Bot, interaction: Interaction): void => {
    const work = async (): Promise<void> => {
      if (interaction.isAutocomplete()) return autocomplete(bot, interaction);
      const facts = factsOf(interaction, now(), threads.get(interaction.id) ?? null);
      if (interaction.isChatInputCommand()) {
        const sub = interaction.options.getSubcommand(false) ?? 'ask';
        const values = (interaction.options.data[0]?.options ?? []).map((o) => String(o.value ?? ''));
        return answerInTime(interaction, bot.handle(parseSlashCommand(facts, sub, values)));
      }
      // What the bot did not send (a button id of another format, a select menu, a form, a context-menu command)
      // still gets a private answer: without one the member sees "This interaction failed".
      if (interaction.isButton()) {
        const incoming = parseButton(facts, interaction.customId);
        if (!incoming) return answer(interaction, [notice(interaction.locale, 'error.unknownChoice')]);
        const delivered = trackDelivery(incoming);
        try {
          return await answerInTime(interaction, bot.handle(incoming));
        } finally {
          delivered();
        }
      }
      // A message select this bot rendered: the picked option's value is what a button's custom id would be.
      if (interaction.isStringSelectMenu() && interaction.customId.startsWith(`${SELECT_ID}:`)) {
        const incoming = parseButton(facts, interaction.values[0] ?? '');
        if (!incoming) return answer(interaction, [notice(interaction.locale, 'error.unknownChoice')]);
        return answerInTime(interaction, bot.handle(incoming));
      }
      if (interaction.isAnySelectMenu())
        return answer(interaction, [notice(interaction.locale, 'error.unknownMenu')]);
      if (interaction.isModalSubmit()) {
        const components: SubmittedComponent[] = [...interaction.fields.fields.values()].map((field) => ({
          customId: field.customId,
          ...('values' in field ? { values: field.values } : {}),
          ...('value' in field && typeof field.value === 'string' ? { value: field.value } : {}),
        }));
        const incoming = parseModalSubmit(facts, interaction.customId, components);
        if (!incoming) return answer(interaction, [notice(interaction.locale, 'error.unknownForm')]);
        return answerInTime(interaction, bot.handle(incoming));
      }
      if (interaction.isMessageContextMenuCommand()) {
        const shortcut = shortcutOfCommand(interaction.commandName);
        if (shortcut) {
          // The text a member reads: the content and, for a bot's card, its embeds' titles, descriptions and fields.
          const message = interaction.targetMessage;
          const text = [
            message.content,
            ...message.embeds.flatMap((e) => [
              e.title ?? '',
              e.description ?? '',
              ...e.fields.map((f) => `${f.name} ${f.value}`),
            ]),
          ].join('\n');
          return answerInTime(interaction, bot.handle(parseMessageShortcut(facts, shortcut, text)));
        }
      }
      if (interaction.isCommand())
        return answer(interaction, [
          notice(interaction.locale, 'error.unknownCommand', { name: interaction.commandName }),
        ]);
    };
    options.inFlight?.begin();
    work()
      .catch(async (error: unknown) => {
        options.logger.error({ err: error }, 'discord interaction failed');
        if (interaction.isRepliable() && !interaction.replied && !interaction.deferred)
          await answer(interaction, [notice(interaction.locale, 'error.apology')]).catch(() => undefined);
      })
      .finally(() => options.inFlight?.end());
  };
  return { client, attach };
}
