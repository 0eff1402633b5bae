/**
 * The server process (adapters/server/start.ts, as `npm run start:discord` runs it) against the fake Discord, for
 * what only shows in the running process: payloads that throw inside discord.js, a token revoked while connected,
 * gateway closes that no retry fixes, and a gateway that never says HELLO.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../fakes/discord.ts';
import { forkEntry } from '../helpers/fork-entry.ts';
import { until } from '../helpers/until.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'adapters', 'server', 'start.ts');
// Start-up compiles the sources with tsx; on a busy 2-core machine that can take several seconds.
const START_MS = 40_000;

interface ServerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Everything it wrote (pino JSON lines on stdout, start-up problems on stderr). */
  output(): string;
  /** The pino lines it logged, parsed. */
  lines(): Array<Record<string, unknown>>;
}

const running: ServerProcess[] = [];
const fakes: FakeDiscord[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const fake of fakes.splice(0)) await fake.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function fakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  fakes.push(fake);
  return fake;
}

/** Starts the real server process serving Discord from `fake`, on a fresh SQLite file. */
async function serve(fake: FakeDiscord): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-discord-process-'));
  dirs.push(dir);
  await writeFile(join(dir, 'test.env'), '');
  const child = forkEntry(
    ENTRY,
    {
      DISCORD_TOKEN: 'process-test-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      ORCH_DATA_DIR: dir,
      ORCH_ENV_FILE: join(dir, 'test.env'),
      ORCH_HEALTH_PORT: '0',
      ORCH_LOG_LEVEL: 'info',
      ORCH_CATALOG_WATCH: 'off',
      ORCH_DEFAULT_LANG: 'en',
    },
    { args: ['discord'] },
  );
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const output = () => chunks.join('');
  const server: ServerProcess = {
    child,
    exited,
    output,
    lines: () =>
      output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  running.push(server);
  return server;
}

/** The health port of a server that logged "orch is ready". */
async function ready(server: ServerProcess): Promise<string> {
  const line = await until(
    () => server.lines().find((l) => l.message === 'orch is ready'),
    `"orch is ready"\n${server.output()}`,
    START_MS,
  );
  return `http://127.0.0.1:${line.healthPort}`;
}

/** The exit code, once the process has ended by itself. */
async function exitOf(server: ServerProcess, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((done) => {
    timer = setTimeout(() => done('still running'), timeoutMs);
  });
  const code = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  if (code === 'still running') throw new Error(`still running after ${timeoutMs} ms:\n${server.output()}`);
  return code;
}

const errorsOf = (server: ServerProcess) =>
  server
    .lines()
    .filter((l) => l.level === 'error' || l.level === 'fatal')
    .map((l) => String(l.message));

describe('the Discord server process', () => {
  it('survives interactions discord.js cannot read, answers them, and goes on answering commands', async () => {
    const fake = await fakeDiscord();
    const server = await serve(fake);
    await ready(server);

    // No member and no user: discord.js reads `data.member.user` while building the interaction.
    const nobody = fake.slashCommandInteraction({ subcommand: 'help', locale: 'ko' }) as unknown as Record<
      string,
      unknown
    >;
    delete nobody.member;
    // A button press without the message it sits on: discord.js reads `data.message.channel_id`.
    const detached = fake.buttonInteraction({
      customId: 'quiz.answer|x',
      locale: 'en-US',
    }) as unknown as Record<string, unknown>;
    delete detached.message;
    const answers = [
      await fake.interact(nobody as never, { timeoutMs: 20_000 }),
      await fake.interact(detached as never, { timeoutMs: 20_000 }),
    ];
    expect(answers.map((a) => (a.data as { flags?: number }).flags)).toEqual([64, 64]);
    expect(JSON.stringify(answers[0]?.data)).toContain('요청이 불완전하게 도착해서');
    expect(JSON.stringify(answers[1]?.data)).toContain('reached the bot incomplete');

    const help = await fake.interact(
      fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'istio' } }),
      {
        timeoutMs: 20_000,
      },
    );
    expect(JSON.stringify(help.data)).toContain('Istio');
    expect(server.child.exitCode).toBeNull();
    expect(
      server
        .lines()
        .filter(
          (l) =>
            l.message === 'discord sent an interaction discord.js cannot read; answered without running it',
        ),
    ).toHaveLength(2);
  }, 60_000);

  it('exits non-zero, saying the token was rejected, when every REST call is answered 401', async () => {
    const fake = await fakeDiscord();
    const server = await serve(fake);
    const health = await ready(server);
    expect((await fetch(`${health}/readyz`)).status).toBe(200);

    fake.rejectToken();
    // A member's command: its answer is refused, which is how the revoked token shows while the gateway stays up.
    fake.dispatch('INTERACTION_CREATE', fake.slashCommandInteraction({ subcommand: 'help' }));
    expect(await exitOf(server, 30_000)).toBe(1);
    expect(errorsOf(server).some((m) => /Discord rejected the bot token.*DISCORD_TOKEN/.test(m))).toBe(true);
    // The token was checked with a call that carries it, not guessed from the callback's 401.
    expect(fake.callsTo('GET', '/users/%40me').at(-1)?.auth).toBe('Bot process-test-token');
  }, 60_000);

  it.each([
    [4004, /4004 \(authentication failed\): DISCORD_TOKEN is not a valid bot token/],
    [4014, /4014 \(disallowed intents\): orch needs only the Guilds intent/],
  ])(
    'says what to do and exits 1 when the gateway closes with %i',
    async (code, says) => {
      const fake = await fakeDiscord({ identifyCloseCode: code });
      const server = await serve(fake);
      expect(await exitOf(server, START_MS)).toBe(1);
      expect(errorsOf(server).some((m) => says.test(m))).toBe(true);
    },
    60_000,
  );

  it('fails start-up with a clear log line when the gateway never sends HELLO, instead of waiting silently', async () => {
    const fake = await fakeDiscord({ hello: false });
    const server = await serve(fake);
    const started = Date.now();
    // The wait for HELLO is 10 s; discord.js alone would wait 60 s and then reconnect and wait again, forever.
    expect(await exitOf(server, START_MS)).toBe(1);
    expect(Date.now() - started).toBeLessThan(START_MS);
    expect(errorsOf(server).some((m) => /sent no HELLO within 10000 ms/.test(m))).toBe(true);
    expect(fake.identifies).toHaveLength(0);
  }, 60_000);
});
