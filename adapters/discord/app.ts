import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  GatewayIntentBits,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  Routes,
} from 'discord.js';
import type { Bot, InFlight, Logger, Reply } from '../../src/index.ts';
import { type InteractionFacts, parseButton, parseSlashCommand } from './parse.ts';
import { renderDiscord } from './render.ts';

/** What the Discord client needs. */
export interface DiscordAppOptions {
  /** REST base (`…/api`) for a proxy or a test fake; Discord's own when absent. */
  apiUrl?: string;
  bot: () => Bot;
  logger: Logger;
  now?: () => Date;
  /** Counts each interaction from its arrival to its answer, for a graceful shutdown to wait on. */
  inFlight?: InFlight;
}

const AUTOCOMPLETE_LIMIT = 25;
const DEFER_AFTER_MS = 1500;

function factsOf(interaction: Interaction, now: Date): InteractionFacts {
  const member = interaction.member as { nick?: string | null } | null;
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
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

async function answer(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  replies: Reply[],
): Promise<void> {
  const [first, ...rest] = replies;
  if (!first) {
    // Every interaction must be answered; a press that produced nothing (another bot's) is acknowledged quietly.
    if (interaction.isButton()) await interaction.deferUpdate().catch(() => undefined);
    return;
  }
  // The rendered body is already in Discord's wire format, so it goes straight to the callback route instead of
  // through discord.js's message builder, which re-walks (and re-cases) every embed field of every answer.
  await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: callbackBody(first),
    passThroughBody: true,
    headers: { 'Content-Type': 'application/json' },
    auth: false,
  });
  interaction.replied = true;
  for (const reply of rest) await interaction.followUp(renderDiscord(reply) as never);
}

/** The discord.js client with the Guilds intent only: `/orch` subcommands, buttons and tool autocomplete. */
export function createDiscordApp(options: DiscordAppOptions): Client {
  const now = options.now ?? (() => new Date());
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });

  const autocomplete = async (interaction: AutocompleteInteraction): Promise<void> => {
    const focused = String(interaction.options.getFocused());
    await interaction.respond(options.bot().engine.complete(focused, AUTOCOMPLETE_LIMIT));
  };

  client.on('interactionCreate', (interaction) => {
    const work = async (): Promise<void> => {
      if (interaction.isAutocomplete()) return autocomplete(interaction);
      const facts = factsOf(interaction, now());
      if (interaction.isChatInputCommand()) {
        const sub = interaction.options.getSubcommand(false) ?? 'ask';
        const values = (interaction.options.data[0]?.options ?? []).map((o) => String(o.value ?? ''));
        const pending = options.bot().handle(parseSlashCommand(facts, sub, values));
        // Discord wants an answer within 3 s. Most commands take milliseconds; one that is still working after
        // DEFER_AFTER_MS (a quiz start posting through a rate-limited REST) is deferred, then its reply edited in.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), DEFER_AFTER_MS);
        });
        const quick = await Promise.race([pending, late]);
        clearTimeout(timer);
        if (quick) return answer(interaction, quick);
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const [first, ...rest] = await pending;
        if (first) await interaction.editReply(renderDiscord(first) as never);
        for (const reply of rest) await interaction.followUp(renderDiscord(reply) as never);
        return;
      }
      if (interaction.isButton()) {
        const incoming = parseButton(facts, interaction.customId);
        if (incoming) return answer(interaction, await options.bot().handle(incoming));
      }
    };
    options.inFlight?.begin();
    work()
      .catch((error: unknown) => options.logger.error({ err: error }, 'discord interaction failed'))
      .finally(() => options.inFlight?.end());
  });
  return client;
}
