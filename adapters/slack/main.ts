import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bot, createRuntime, formatProblem, type Logger, loadConfig } from '../../src/index.ts';
import { createSlackApp } from './app.ts';
import { SlackPoster } from './poster.ts';

/** JSON lines on stderr; structured logging with redaction arrives with the production issue. */
const logger: Logger = {
  debug() {},
  info: (fields, message) =>
    process.stderr.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (fields, message) =>
    process.stderr.write(
      `${JSON.stringify({ level: 'warn', message, ...fields, err: String(fields.err ?? '') })}\n`,
    ),
  error: (fields, message) =>
    process.stderr.write(
      `${JSON.stringify({ level: 'error', message, ...fields, err: String(fields.err ?? '') })}\n`,
    ),
};

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Starts the Slack app from the environment; resolves to an exit code when it cannot start. */
export async function main(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const loaded = loadConfig(env, projectRoot());
  if (!loaded.ok) {
    process.stderr.write(
      `orch: invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
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
    if (runtime.kind === 'catalog') {
      process.stderr.write('orch: the catalog is invalid, so the bot will not start:\n');
      for (const p of runtime.problems) process.stderr.write(`${formatProblem(p)}\n`);
    } else {
      process.stderr.write(`orch: cannot open the store: ${runtime.message}\n`);
    }
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
