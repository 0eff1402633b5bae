import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  type CatalogProblem,
  type Clock,
  type Config,
  compileCatalog,
  compiledCatalogPath,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  formatProblem,
  type GamesSnapshot,
  type Incoming,
  importGames,
  importLandscape,
  type LandscapeImport,
  type LandscapeSnapshot,
  loadCatalog,
  loadConfig,
  type Poster,
  projectRootOf,
  type Reply,
  type Runtime,
  toPlainText,
} from '../../src/index.ts';
import { channelTime, consoleChannel } from './channel-state.ts';
import { ConsoleClockError, openConsoleClock, type ShiftableClock } from './clock.ts';
import { CONSOLE_WHERE, parseConsoleLine } from './parse.ts';
import { ConsolePoster } from './poster.ts';
import { renderConsole, useColor } from './render.ts';
import { runRepl } from './repl.ts';

/** The process's streams and environment, handed in so tests can run the CLI in-process. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

const ASK_USAGE = `  orch ask "<text>" [--json] [--lang ko|en] [--channel <name>]
                                            run one /orch command or question and exit: in the console's
                                            channel, or the channel named; --json prints one JSON object`;

const ASK_OPTIONS = '--json, --lang ko|en, --channel <name>';

// A channel of the console's store; the name becomes part of its key (console:local:<name>).
const CHANNEL_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

const USAGE = `usage:
  orch                                      the bot in this terminal (one chat channel)
${ASK_USAGE}
  orch catalog check [dir] [--write]        validate a catalog folder (default: ./catalog); --write also saves
                                            its compiled snapshot (dir/.compiled/catalog.json), read at start
  orch catalog import-landscape <file|url> [--out <file>] [--timeout <seconds>]
                                            import the CNCF landscape so the bot knows all its items
  orch catalog import-games <file|url> [--out <file>] [--timeout <seconds>]
                                            import a CNCF landscape quiz set, played with /orch quiz cncf`;

class UsageError extends Error {}

function takeOption(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const arg = args[i] as string;
  if (arg.includes('=')) {
    args.splice(i, 1);
    return arg.slice(name.length + 1);
  }
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

function printProblems(io: CliIo, problems: readonly CatalogProblem[], root: string, omitted = 0): void {
  for (const p of problems)
    io.stderr.write(`${formatProblem({ ...p, file: relative(root, p.file) || p.file })}\n`);
  if (omitted > 0) io.stderr.write(`… and ${omitted} more\n`);
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const root = projectRootOf(import.meta.url);
  const args = [...argv];
  try {
    const sub = args.shift();
    if (sub === undefined || sub === 'console') return await startConsole(io, root);
    if (sub === 'ask') return await ask(args, io, root);
    if (sub === 'catalog' && args[0] === 'check') return await checkCatalog(args.slice(1), io, root);
    if (sub === 'catalog' && args[0] === 'import-landscape')
      return await importCommand(args.slice(1), io, root);
    if (sub === 'catalog' && args[0] === 'import-games')
      return await importGamesCommand(args.slice(1), io, root);
    if (sub === 'help' || sub === '--help' || sub === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(`unknown command "${[sub, ...args].join(' ')}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`orch: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

async function configOrExit(io: CliIo, root: string) {
  const loaded = loadConfig(io.env, root);
  if (!loaded.ok) {
    io.stderr.write(describeConfigProblems(loaded.problems));
    return null;
  }
  return loaded.config;
}

/** The core for this process (catalog, store, bot, scheduler), or null after printing why it cannot start. */
async function runtimeOrExit(
  io: CliIo,
  root: string,
  poster: Poster,
  clock?: Clock,
): Promise<Runtime | null> {
  const config = await configOrExit(io, root);
  if (!config) return null;
  const runtime = await createRuntime(config, {
    poster,
    ...(clock ? { clock } : {}),
    instanceId: `console-${process.pid}`,
  });
  if (!('kind' in runtime)) return runtime;
  for (const line of describeRuntimeFailure(runtime, (file) => relative(root, file) || file))
    io.stderr.write(`${line}\n`);
  return null;
}

// Small enough that a fire is never more than this late when the console fast-forwards through a week.
const FAST_FORWARD_STEP_MS = 15 * 60_000;

async function startConsole(io: CliIo, root: string): Promise<number> {
  const config = await configOrExit(io, root);
  if (!config) return 1;
  const clock = consoleClockOrExit(io, config.dataDir);
  if (!clock) return 1;
  const color = useColor(io.stdout, io.env);
  const width = () => (io.stdout.isTTY === true ? (io.stdout as { columns?: number }).columns : undefined);
  let print: (reply: Reply) => void = (reply) =>
    io.stdout.write(`${renderConsole(reply, { color, width: width() })}\n`);
  // The channel (and so its zone and language) is known once the store is open; posts come only after that.
  let when = async (at: Date) => at.toISOString();
  const poster = new ConsolePoster(
    (reply) => print(reply),
    () => clock.now(),
    (at) => when(at),
    (image) => {
      const folder = join(config.dataDir, 'digests');
      mkdirSync(folder, { recursive: true });
      const file = join(folder, basename(image.filename));
      writeFileSync(file, image.png);
      return relative(process.cwd(), file) || file;
    },
  );
  const runtime = await runtimeOrExit(io, root, poster, clock);
  if (!runtime) return 1;
  const channel = consoleChannel(runtime.store);
  const defaults = { lang: config.defaultLang, timeZone: config.defaultTimeZone };
  when = (at) => channelTime(at, channel, defaults);
  await runtime.start();
  try {
    await runRepl({
      bot: runtime.bot,
      input: io.stdin,
      output: io.stdout,
      color,
      width,
      prompt: io.stdout.isTTY === true,
      now: () => clock.now(),
      clockAheadMs: clock.ahead(),
      channel,
      defaultLang: config.defaultLang,
      when,
      bindPrinter: (show) => {
        print = show;
      },
      advance: async (ms) => {
        // Step through the interval so every fire on the way is on time, as it would be in real life.
        for (let moved = 0; moved < ms; moved += FAST_FORWARD_STEP_MS) {
          clock.shift(Math.min(FAST_FORWARD_STEP_MS, ms - moved));
          await runtime.scheduler.tick();
          await runtime.bot.quiz.tick();
        }
      },
    });
  } finally {
    await runtime.close();
  }
  return 0;
}

/** The console's clock as the last run left it (see openConsoleClock), or null after printing why it cannot be read. */
function consoleClockOrExit(io: CliIo, dataDir: string): ShiftableClock | null {
  try {
    return openConsoleClock(dataDir);
  } catch (error) {
    if (!(error instanceof ConsoleClockError)) throw error;
    io.stderr.write(`orch: ${error.message}\n`);
    return null;
  }
}

/**
 * `orch ask`: one line through the bot, as the console's user (an admin) in one channel. Exit 0 for any answer
 * (a refusal included), 2 for a line the bot could not read (nothing was done), 1 when the bot cannot start.
 */
async function ask(args: string[], io: CliIo, root: string): Promise<number> {
  const json = takeFlag(args, '--json');
  const lang = takeOption(args, '--lang');
  const channel = takeOption(args, '--channel') ?? CONSOLE_WHERE.channel;
  if (lang !== undefined && lang !== 'ko' && lang !== 'en')
    throw new UsageError(`--lang must be ko or en, not "${lang}"`);
  if (!CHANNEL_NAME.test(channel))
    throw new UsageError(`--channel must be a name of letters, digits, ".", "-" or "_", not "${channel}"`);
  // `--lang` may sit inside the text too, as in chat; any other option is a mistake on this command line.
  const unknown = args
    .flatMap((a) => a.split(/\s+/))
    .find((w) => /^--[a-z]/i.test(w) && !/^--lang(=|$)/.test(w));
  if (unknown) throw new UsageError(`unknown option "${unknown.slice(0, 40)}"; ask takes ${ASK_OPTIONS}`);
  const text = args.join(' ').trim();
  if (text.length === 0) throw new UsageError('ask needs a question or a command, e.g. orch ask "istio"');
  // Channel posts the command causes (a quiz round's first question) go into the JSON, or to stdout as they come.
  const posts: Reply[] = [];
  const poster: Poster = {
    async post(_channelKey, reply) {
      if (json) posts.push(reply);
      else io.stdout.write(`${renderConsole(reply, false)}\n`);
      return { messageId: `ask-${posts.length}-${Date.now()}` };
    },
  };
  // ask acts on the console's store, so it runs on the console's clock: real time could be in that store's past.
  const config = await configOrExit(io, root);
  const clock = config && consoleClockOrExit(io, config.dataDir);
  if (!clock) return 1;
  const started = await runtimeOrExit(io, root, poster, clock);
  if (!started) return 1;
  const line = lang ? `${text} --lang ${lang}` : text;
  const incoming: Incoming = {
    ...parseConsoleLine(line, clock.now()),
    where: { ...CONSOLE_WHERE, channel },
  };
  const answer = await started.bot.answer(incoming).finally(() => started.close());
  const plain = answer.replies.map(toPlainText).join('\n\n');
  if (answer.outcome === 'usage') {
    io.stderr.write(`orch: ${plain}\n${ASK_USAGE}\n`);
    return 2;
  }
  if (answer.outcome === 'error') {
    io.stderr.write(`orch: ${plain}\n`);
    return 1;
  }
  if (json) {
    const output = {
      intent: answer.intent,
      command: answer.command,
      channel,
      ...answer.data,
      ...(answer.outcome === 'refused' ? { refused: answer.errorKey } : {}),
      text: plain,
      ...(posts.length > 0 ? { posts: posts.map(toPlainText) } : {}),
    };
    io.stdout.write(`${JSON.stringify(output)}\n`);
  } else {
    for (const reply of answer.replies)
      io.stdout.write(`${renderConsole(reply, io.stdout.isTTY === true)}\n`);
  }
  return 0;
}

async function checkCatalog(args: string[], io: CliIo, root: string): Promise<number> {
  const write = takeFlag(args, '--write');
  if (args.length > 1) throw new UsageError('catalog check takes at most one folder');
  const dir = resolve(args[0] ?? join(root, 'catalog'));
  if (!existsSync(dir)) throw new UsageError(`no such folder: ${dir}`);
  // Always the YAML files, never the snapshot: this is the check the snapshot stands for.
  const compiled = await compileCatalog(dir, write);
  if (!compiled.ok) {
    io.stderr.write(`catalog check failed: ${compiled.problems.length + compiled.omitted} problem(s)\n`);
    printProblems(io, compiled.problems, process.cwd(), compiled.omitted);
    return 1;
  }
  const { tools, categories, roadmap, questions } = compiled.curated;
  io.stdout.write(
    `catalog OK: ${tools.length} tools, ${categories.length} categories, ${roadmap.tracks.length} tracks, ${roadmap.lessons.length} lessons, ${questions.length} quiz questions\n`,
  );
  if (!write) return 0;
  const snapshot = relative(process.cwd(), compiledCatalogPath(dir)) || compiledCatalogPath(dir);
  if (!compiled.written) {
    io.stderr.write(`orch: could not write the compiled catalog ${snapshot}: ${compiled.reason}\n`);
    return 1;
  }
  io.stdout.write(`wrote ${snapshot}: the bot starts from it until a catalog file changes\n`);
  return 0;
}

/** An import that cannot go ahead (unreadable source, wrong format): one line on stderr, exit 2, nothing written. */
class ImportRefused extends Error {}

// The public landscape.yml is about 1 MB; a source many times that size is not a landscape, and must not fill memory.
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
const DEFAULT_FETCH_TIMEOUT_S = 30;

/** The options both import commands take; what is left in `args` is the source. */
function importOptions(args: string[]): { out: string | undefined; timeoutMs: number } {
  const out = takeOption(args, '--out');
  const timeout = takeOption(args, '--timeout');
  const seconds = timeout === undefined ? DEFAULT_FETCH_TIMEOUT_S : Number(timeout);
  if (!(seconds > 0 && seconds <= 600))
    throw new UsageError(`--timeout must be a number of seconds up to 600, not "${timeout}"`);
  return { out, timeoutMs: seconds * 1000 };
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A file, or an http(s) URL fetched with Node's own fetch, bounded in time and size. */
async function readSource(source: string, timeoutMs: number): Promise<string> {
  if (!isUrl(source)) {
    try {
      return await readFile(source, 'utf8');
    } catch (error) {
      throw new ImportRefused(`cannot read ${source}: ${(error as Error).message}`);
    }
  }
  const refuse = (why: string) => new ImportRefused(`cannot fetch ${source}: ${why}`);
  // One deadline for the whole download: a server that answers the headers and then stalls is as stuck as a silent one.
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => refuse(`no complete answer within ${timeoutMs / 1000} s`);
  try {
    const response = await fetch(source, { signal, headers: { accept: 'text/yaml, text/plain, */*' } });
    if (!response.ok) {
      await response.body?.cancel();
      throw refuse(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    const tooBig = refuse(`larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_SOURCE_BYTES) {
      await response.body?.cancel();
      throw tooBig;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > MAX_SOURCE_BYTES) throw tooBig;
        chunks.push(chunk);
      }
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch (error) {
    if (error instanceof ImportRefused) throw error;
    if (signal.aborted) throw timedOut();
    // fetch() reports every network failure as "fetch failed"; the cause says which (refused, DNS, reset).
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    throw refuse(cause?.message || cause?.code || (error as Error).message);
  }
}

/** The one line that says why a source was refused: its first problem, and how many more there were. */
function refusal(what: string, problems: readonly CatalogProblem[]): ImportRefused {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new ImportRefused(`${what}: ${first ? formatProblem(first) : 'nothing usable'}${more}`);
}

/** Runs one import command, turning a refusal into its one line and exit code 2. */
async function refusable(io: CliIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ImportRefused)) throw error;
    io.stderr.write(`orch: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  }
}

/**
 * Writes an import's snapshot (outside catalog/: imported prose is never committed). Written beside the target and
 * renamed over it, so the last good snapshot stays whole until the new one is complete.
 */
async function writeSnapshot(target: string, snapshot: unknown): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, `${JSON.stringify(snapshot)}\n`);
  await rename(partial, target);
}

async function importCommand(args: string[], io: CliIo, root: string): Promise<number> {
  const { out, timeoutMs } = importOptions(args);
  const file = args[0];
  if (!file || args.length > 1)
    throw new UsageError('import-landscape needs exactly one landscape.yml file or URL');
  const config = await configOrExit(io, root);
  if (!config) return 1;
  return refusable(io, async () => {
    const imported = importLandscape(await readSource(file, timeoutMs), file);
    if ('problems' in imported) throw refusal(`${file} is not a CNCF landscape file`, imported.problems);
    return saveLandscape(imported, file, out, io, root, config);
  });
}

async function saveLandscape(
  imported: LandscapeImport,
  file: string,
  out: string | undefined,
  io: CliIo,
  root: string,
  config: Config,
): Promise<number> {
  const target = resolve(out ?? config.landscapeFile);
  // Check the merge before writing, so a snapshot that would stop the bot from starting is never saved.
  const merged = await loadCatalog(config.catalogDir, { landscape: imported.items });
  if (!merged.ok) {
    io.stderr.write('the curated catalog is invalid; fix it before importing:\n');
    printProblems(io, merged.problems, root, merged.omitted);
    return 1;
  }
  const snapshot: LandscapeSnapshot = {
    format: 'orch-landscape/1',
    source: file,
    importedAt: new Date().toISOString(),
    items: imported.items,
  };
  await writeSnapshot(target, snapshot);
  const curated = merged.catalog.tools.filter((t) => t.source === 'curated').length;
  const added = merged.catalog.tools.length - curated;
  io.stdout.write(
    `imported ${imported.items.length} items (${imported.categories} categories, ${imported.subcategories} subcategories) into ${relative(process.cwd(), target) || target}\n` +
      `the bot now knows ${merged.catalog.tools.length} tools: ${curated} curated, ${added} from the landscape (${imported.items.length - added} landscape items are covered by curated tools)\n`,
  );
  for (const s of imported.skipped) io.stdout.write(`skipped ${formatProblem(s)}\n`);
  return 0;
}

async function importGamesCommand(args: string[], io: CliIo, root: string): Promise<number> {
  const { out, timeoutMs } = importOptions(args);
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('import-games needs exactly one games.yml file or URL');
  const config = await configOrExit(io, root);
  if (!config) return 1;
  const catalog = await loadCatalog(config.catalogDir);
  if (!catalog.ok) {
    io.stderr.write('the curated catalog is invalid; fix it before importing:\n');
    printProblems(io, catalog.problems, root, catalog.omitted);
    return 1;
  }
  return refusable(io, async () => {
    const imported = importGames(await readSource(file, timeoutMs), file, catalog.catalog);
    if (imported.questions.length === 0)
      throw refusal(`${file} has no usable CNCF quiz questions`, imported.problems);
    for (const p of imported.problems) io.stderr.write(`skipped ${formatProblem(p)}\n`);
    return saveGames(imported.questions, file, out, io, config);
  });
}

async function saveGames(
  questions: GamesSnapshot['questions'],
  file: string,
  out: string | undefined,
  io: CliIo,
  config: Config,
): Promise<number> {
  const target = resolve(out ?? config.gamesFile);
  const snapshot: GamesSnapshot = {
    format: 'orch-games/1',
    source: file,
    importedAt: new Date().toISOString(),
    questions,
  };
  await writeSnapshot(target, snapshot);
  io.stdout.write(
    `imported ${questions.length} questions into ${relative(process.cwd(), target) || target}; play them with /orch quiz cncf\n`,
  );
  return 0;
}
