import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import {
  type CatalogProblem,
  type Clock,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  formatProblem,
  type GamesSnapshot,
  importGames,
  importLandscape,
  type LandscapeSnapshot,
  loadCatalog,
  loadConfig,
  type Poster,
  projectRootOf,
  type Reply,
  type Runtime,
} from '../../src/index.ts';
import { ShiftableClock } from './clock.ts';
import { parseConsoleLine } from './parse.ts';
import { ConsolePoster } from './poster.ts';
import { renderConsole } from './render.ts';
import { runRepl } from './repl.ts';

/** The process's streams and environment, handed in so tests can run the CLI in-process. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

const USAGE = `usage:
  orch                                      the bot in this terminal (one chat channel)
  orch ask "<text>" [--json] [--lang ko|en]  answer once and exit
  orch catalog check [dir]                  validate a catalog folder (default: ./catalog)
  orch catalog import-landscape <file> [--out <file>]
                                            import the CNCF landscape so the bot knows all its items
  orch catalog import-games <file> [--out <file>]
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
  const clock = new ShiftableClock();
  const color = io.stdout.isTTY === true;
  let print: (reply: Reply) => void = (reply) => io.stdout.write(`${renderConsole(reply, color)}\n`);
  const poster = new ConsolePoster(
    (reply) => print(reply),
    () => clock.now(),
  );
  const runtime = await runtimeOrExit(io, root, poster, clock);
  if (!runtime) return 1;
  await runtime.start();
  try {
    await runRepl({
      bot: runtime.bot,
      input: io.stdin,
      output: io.stdout,
      color,
      prompt: color,
      now: () => clock.now(),
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

async function ask(args: string[], io: CliIo, root: string): Promise<number> {
  const json = takeFlag(args, '--json');
  const lang = takeOption(args, '--lang');
  if (lang !== undefined && lang !== 'ko' && lang !== 'en')
    throw new UsageError(`--lang must be ko or en, not "${lang}"`);
  const text = args.join(' ').trim();
  if (text.length === 0) throw new UsageError('ask needs a question, e.g. orch ask "istio"');
  const started = await runtimeOrExit(
    io,
    root,
    new ConsolePoster((reply) => io.stdout.write(`${renderConsole(reply, false)}\n`)),
  );
  if (!started) return 1;
  const line = lang ? `${text} --lang ${lang}` : text;
  const replies = await started.bot.handle(parseConsoleLine(line, new Date())).finally(() => started.close());
  const first = replies[0];
  if (!first?.meta) {
    // The core answered with an error (a bad option inside the text): that is a usage problem, not an answer.
    const message = first ? renderConsole(first, false) : 'no answer';
    throw new UsageError(message.replace('(only you can see this)\n', ''));
  }
  if (json) {
    const text = replies.map((r) => renderConsole(r, false)).join('\n\n');
    io.stdout.write(`${JSON.stringify({ ...first.meta, text })}\n`);
  } else {
    for (const reply of replies) io.stdout.write(`${renderConsole(reply, io.stdout.isTTY === true)}\n`);
  }
  return 0;
}

async function checkCatalog(args: string[], io: CliIo, root: string): Promise<number> {
  if (args.length > 1) throw new UsageError('catalog check takes at most one folder');
  const dir = resolve(args[0] ?? join(root, 'catalog'));
  if (!existsSync(dir)) throw new UsageError(`no such folder: ${dir}`);
  const loaded = await loadCatalog(dir);
  if (!loaded.ok) {
    io.stderr.write(`catalog check failed: ${loaded.problems.length + loaded.omitted} problem(s)\n`);
    printProblems(io, loaded.problems, process.cwd(), loaded.omitted);
    return 1;
  }
  const { tools, categories, roadmap, questions } = loaded.catalog;
  io.stdout.write(
    `catalog OK: ${tools.length} tools, ${categories.length} categories, ${roadmap.tracks.length} tracks, ${roadmap.lessons.length} lessons, ${questions.length} quiz questions\n`,
  );
  return 0;
}

/** A file named on the command line; an unreadable one is a usage problem (exit 2). */
async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Writes an import's snapshot (outside catalog/: imported prose is never committed). */
async function writeSnapshot(target: string, snapshot: unknown): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(snapshot)}\n`);
}

async function importCommand(args: string[], io: CliIo, root: string): Promise<number> {
  const out = takeOption(args, '--out');
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('import-landscape needs exactly one landscape.yml file');
  const config = await configOrExit(io, root);
  if (!config) return 1;
  const imported = importLandscape(await readInput(file), file);
  if ('problems' in imported) {
    io.stderr.write('the landscape file is not usable:\n');
    printProblems(io, imported.problems, process.cwd());
    return 1;
  }
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
  const out = takeOption(args, '--out');
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('import-games needs exactly one games.yml file');
  const config = await configOrExit(io, root);
  if (!config) return 1;
  const catalog = await loadCatalog(config.catalogDir);
  if (!catalog.ok) {
    io.stderr.write('the curated catalog is invalid; fix it before importing:\n');
    printProblems(io, catalog.problems, root, catalog.omitted);
    return 1;
  }
  const imported = importGames(await readInput(file), file, catalog.catalog);
  for (const p of imported.problems) io.stderr.write(`skipped ${formatProblem(p)}\n`);
  if (imported.questions.length === 0) {
    io.stderr.write('no usable questions in that file; nothing was written\n');
    return 1;
  }
  const target = resolve(out ?? config.gamesFile);
  const snapshot: GamesSnapshot = {
    format: 'orch-games/1',
    source: file,
    importedAt: new Date().toISOString(),
    questions: imported.questions,
  };
  await writeSnapshot(target, snapshot);
  io.stdout.write(
    `imported ${imported.questions.length} questions into ${relative(process.cwd(), target) || target}; play them with /orch quiz cncf\n`,
  );
  return 0;
}
