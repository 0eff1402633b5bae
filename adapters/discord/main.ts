import { REST, Routes } from 'discord.js';
import { describeConfigProblems, loadConfig, projectRootOf, withEnvFile } from '../../src/index.ts';
import { messageCommands, orchCommand } from './commands.ts';

function discordConfigOrExit(env: Readonly<Record<string, string | undefined>>) {
  const root = projectRootOf(import.meta.url);
  const loaded = loadConfig(withEnvFile(env, root).env, root);
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
  return { discord: loaded.config.discord };
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
  await rest.put(route, { body: [orchCommand(), ...messageCommands()] });
  process.stdout.write(
    `registered /orch and the message commands ${discord.guildId ? `to guild ${discord.guildId}` : 'globally'}\n`,
  );
  return 0;
}
