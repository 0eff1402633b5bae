import {
  type Bot,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  jsonLinesLogger,
  loadConfig,
  projectRootOf,
} from '../../src/index.ts';
import { createSlackApp } from './app.ts';
import { SlackPoster } from './poster.ts';

const logger = jsonLinesLogger((line) => process.stderr.write(line));

/** Starts the Slack app from the environment; resolves to an exit code when it cannot start. */
export async function main(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const loaded = loadConfig(env, projectRootOf(import.meta.url));
  if (!loaded.ok) {
    process.stderr.write(describeConfigProblems(loaded.problems));
    return 1;
  }
  const { config } = loaded;
  if (!config.slack) {
    process.stderr.write(
      'orch: SLACK_BOT_TOKEN is not set; see the README section "Slack" (or run npm start for the console).\n',
    );
    return 1;
  }
  let bot: Bot | undefined;
  const { app, client } = createSlackApp({
    config: config.slack,
    logger,
    bot: () => {
      if (!bot) throw new Error('the bot is not ready yet');
      return bot;
    },
  });
  const runtime = await createRuntime(config, {
    poster: new SlackPoster(client),
    logger,
    instanceId: `slack-${process.pid}`,
  });
  if ('kind' in runtime) {
    for (const line of describeRuntimeFailure(runtime)) process.stderr.write(`${line}\n`);
    return 1;
  }
  bot = runtime.bot;
  if (config.slack.mode === 'http') await app.start(config.slack.port);
  else await app.start();
  await runtime.start();
  logger.info({ mode: config.slack.mode, store: runtime.store.kind }, 'orch is running on Slack');
  const stop = async () => {
    await app.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  return 0;
}
