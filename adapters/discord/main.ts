import { REST, Routes } from 'discord.js';
import {
  type Bot,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  jsonLinesLogger,
  loadConfig,
  projectRootOf,
} from '../../src/index.ts';
import { createDiscordApp } from './app.ts';
import { orchCommand } from './commands.ts';
import { DiscordPoster } from './poster.ts';

const logger = jsonLinesLogger((line) => process.stderr.write(line));

function discordConfigOrExit(env: Readonly<Record<string, string | undefined>>) {
  const loaded = loadConfig(env, projectRootOf(import.meta.url));
  if (!loaded.ok) {
    process.stderr.write(describeConfigProblems(loaded.problems));
    return null;
  }
  if (!loaded.config.discord) {
    process.stderr.write(
      'orch: DISCORD_TOKEN is not set; see the README section "Discord" (or run npm start for the console).\n',
    );
    return null;
  }
  return { config: loaded.config, discord: loaded.config.discord };
}

/** `npm run discord:register`: puts `/orch` on one guild (instant) or globally (may take up to an hour). */
export async function register(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const loaded = discordConfigOrExit(env);
  if (!loaded) return 1;
  const { discord } = loaded;
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  await rest.put(route, { body: [orchCommand()] });
  process.stdout.write(`registered /orch ${discord.guildId ? `to guild ${discord.guildId}` : 'globally'}\n`);
  return 0;
}

/** Starts the Discord bot from the environment; resolves to an exit code when it cannot start. */
export async function main(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const loaded = discordConfigOrExit(env);
  if (!loaded) return 1;
  const { config, discord } = loaded;
  let bot: Bot | undefined;
  const client = createDiscordApp({
    ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}),
    logger,
    bot: () => {
      if (!bot) throw new Error('the bot is not ready yet');
      return bot;
    },
  });
  client.rest.setToken(discord.token);
  const runtime = await createRuntime(config, {
    poster: new DiscordPoster(client.rest),
    logger,
    instanceId: `discord-${process.pid}`,
  });
  if ('kind' in runtime) {
    for (const line of describeRuntimeFailure(runtime)) process.stderr.write(`${line}\n`);
    return 1;
  }
  bot = runtime.bot;
  await client.login(discord.token);
  await runtime.start();
  logger.info({ store: runtime.store.kind }, 'orch is running on Discord');
  const stop = async () => {
    await client.destroy();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  return 0;
}
