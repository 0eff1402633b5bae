// Two sections of `npm run bench` that run the production process itself, as a child process (issue 7, Performance):
//
//   npm run bench -- load [--duration 60] [--rate 200] [--baseline 15] [--dist | --tsx] [--no-trace-gc]
//     Slack HTTP mode at a fixed rate, open loop (every request leaves on schedule whatever happened to the ones
//     before, so a slow ack cannot hide by holding the next request back), of mixed traffic: `/orch` commands (tool
//     lookups in English, Korean and with typos, half of the lookups texts the server has not seen, rotating over
//     the landscape's names; search, compare, roadmap, lesson, leaderboard, help) and quiz clicks (real rounds
//     started in several channels as the run goes, answers from many members, some duplicate clicks).
//     The fake Slack (Web API and response_url) and the load generator live in this process; the server is
//     `node dist/adapters/server/start.js` when dist/ exists (rebuilt first when older than the sources), else
//     the sources through tsx, with SQLite in a temp folder and the landscape snapshot.
//     It measures errors (non-200, socket errors, no ack within Slack's 3 s), ack latency, whether every request got
//     its answer on its response_url, the reply cache's hits and misses in the run (the server's
//     orch_lookup_cache_total), and memory both ways: the child's resident memory every second (what the pod is
//     charged, checked against the memory request in deploy/slack-deployment.yaml) and, through Node's --trace-gc
//     (on unless --no-trace-gc), the live heap after each full collection, which tells a leak from the collector's
//     saw-tooth. A bare Bolt app that only acks (with Bolt's conversation store off, as orch runs it), a plain-node
//     child of its own, takes the same traffic for a shorter time beside it.
//
//   npm run bench -- footprint [--runs 3] [--ask-runs 7] [--idle-only | --start-only]
//     Idle memory (issue 15 §3) and start-to-ready time. The built server from dist/ (built first when missing or
//     stale) with the compiled catalog snapshot (compiled first by `orch catalog check --write`), as the image runs
//     it: Slack only (HTTP mode, fake Slack), Discord only (fake gateway, which must send READY), both, and both with
//     the full landscape; both with the landscape again as the README's `npm run serve` runs it (the bin, with
//     package.json's flags); and, for scale, a bare Bolt app (convoStore: false) and a bare discord.js client. Each:
//     spawn to ready, idle RSS (median of samples 10 s after ready, split into anonymous and file-backed pages) and
//     heap used after GC (a probe in the process: SIGUSR2, two full collections). Then the breakdown: the server's
//     parts loaded in order in one process (core, Bolt, discord.js, catalog, indexes, SQLite), without and with the
//     landscape. Then `npm run start:slack` start to ready (Slack only, as the issue measured it) from dist/ without
//     and with the landscape, from dist/ parsing the YAML, and the old path (tsx, YAML); and a cold `orch ask istio`,
//     each run a new process: the README's `npx orch ask istio`, the bin it runs, and the old path. Issue 15's
//     targets: ask <= 300 ms, start:slack ready <= 500 ms without the landscape, <= 700 ms with it, idle RSS <= 100 MB
//     with both platforms and the landscape. The load average is printed first and last: above 2, indicative only.
//
// Diagnosis: ORCH_BENCH_NODE_ARGS="--cpu-prof ..." adds Node flags to the server in both sections (printed), and
// ORCH_BENCH_SERVER_LOG=<file> copies the server's stdout to a file.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/quiz/random.ts';
import { startFakeDiscord } from '../fakes/discord.ts';
import {
  blockActionsBody,
  type FakeSlack,
  signSlackRequest,
  slashCommandBody,
  startFakeSlack,
} from '../fakes/slack.ts';
import { benchLandscape } from '../helpers/shared-data.ts';
import { rotatingLookups } from './lookup-texts.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'bench-load-signing-secret';
const TOKEN = 'xoxb-bench-load';
/** Slack retries (and the user sees an error) when an ack takes longer than 3 s: later is an error here too. */
const ACK_TIMEOUT_MS = 3000;
/** After the last request, how long the answers on response_url may take to arrive. */
const ANSWER_WAIT_MS = 20_000;
const MB = 1024 * 1024;

const TARGET_P99_MS = 100;
const TARGET_GROWTH = 0.1;
const TARGET_READY_MS = 1500;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

/** The machine, and how busy it is: other processes share the cores with the server and the load generator. */
export const machine = () =>
  `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')} at the start`;

/** Node flags added to the server through ORCH_BENCH_NODE_ARGS, for the printout. */
const addedFlags = () =>
  process.env.ORCH_BENCH_NODE_ARGS ? ` + ORCH_BENCH_NODE_ARGS "${process.env.ORCH_BENCH_NODE_ARGS}"` : '';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

export const msText = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mbText = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`;
}

/** `--name value` from the section's arguments. */
function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  if (at >= 0) return argv[at + 1];
  const inline = argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

function numberOption(argv: readonly string[], name: string, fallback: number): number {
  const text = option(argv, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number, not "${text}"`);
  return value;
}

/** A port nobody listens on right now (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Resident memory of a process in bytes (Linux /proc), or null when it cannot be read. */
function rssOf(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used, in seconds, or null when it cannot be read. */
function cpuOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The value of one Prometheus series (first match of `name{...labels...}`), or the sum over all its series. */
export function metric(
  text: string,
  name: string,
  labels: Record<string, string> = {},
  sum = false,
): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!sum) return value;
    total = (total ?? 0) + value;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// The server as a child process

export interface Mode {
  name: 'dist' | 'tsx';
  args: string[];
  /** How it is started, for the printout. */
  command: string;
  /** Environment the way of starting sets (the image's glibc malloc settings). */
  env?: Record<string, string>;
}

const DIST_ENTRY = join(ROOT, 'dist/adapters/server/start.js');
/**
 * The variables of the image's last ENV instruction (the final stage's), with its continuation lines: what the image's
 * process starts with. Only the instruction itself, never a comment that names a variable it does not set.
 */
const IMAGE_ENV_ALL: Record<string, string> = (() => {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  const start = lines.findLastIndex((line) => /^ENV\s/.test(line));
  if (start < 0) return {};
  const words: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = (lines[i] as string).replace(i === start ? /^ENV\s+/ : /^\s+/, '');
    words.push(
      ...line
        .replace(/\\$/, '')
        .split(/\s+/)
        .filter((w) => w.includes('=')),
    );
    if (!/\\$/.test(lines[i] as string)) break;
  }
  return Object.fromEntries(words.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
})();
/** The Node flags the image sets in NODE_OPTIONS (its final ENV), so the dist run is the image's process. */
const IMAGE_NODE_FLAGS = (IMAGE_ENV_ALL.NODE_OPTIONS ?? '')
  .split(' ')
  .filter((flag) => flag.startsWith('--'));
/** The glibc malloc settings the image's ENV sets (MALLOC_*), given to the processes measured as the image runs. */
const IMAGE_ENV: Record<string, string> = Object.fromEntries(
  Object.entries(IMAGE_ENV_ALL).filter(([name]) => name.startsWith('MALLOC_')),
);
const imageEnvText = Object.entries(IMAGE_ENV)
  .map(([k, v]) => `${k}=${v} `)
  .join('');
export const MODES: Record<Mode['name'], Mode> = {
  dist: {
    name: 'dist',
    args: [...IMAGE_NODE_FLAGS, DIST_ENTRY],
    command: `${imageEnvText}node ${[...IMAGE_NODE_FLAGS, 'dist/adapters/server/start.js'].join(' ')} (as the image runs it)`,
    env: IMAGE_ENV,
  },
  // Not adapters/server/bin.mjs: that runs dist/ when it is current.
  tsx: {
    name: 'tsx',
    args: ['--import', 'tsx', join(ROOT, 'adapters/server/start.ts')],
    command:
      'node --import tsx adapters/server/start.ts (the sources, as npm run serve ran them before dist/)',
  },
};

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why dist/ cannot stand for the sources, or null when it is there and newer than every source file. */
function distProblem(): string | null {
  if (!existsSync(DIST_ENTRY)) return 'dist/ has no adapters/server/start.js';
  const built = statSync(DIST_ENTRY).mtimeMs;
  const sources = Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'adapters')));
  return sources > built ? 'dist/ is older than the sources' : null;
}

/** `npm run build` when dist/ is missing or stale; a type error fails the build's exit code but tsc still emits. */
function ensureDist(): string {
  const problem = distProblem();
  if (problem === null) return 'dist/ up to date';
  const t0 = performance.now();
  const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  const took = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  if (!existsSync(DIST_ENTRY))
    throw new Error(`npm run build produced no ${DIST_ENTRY}:\n${run.stdout}${run.stderr}`);
  if (run.status !== 0) {
    const errors = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('error'));
    return `${problem}: built with npm run build (${took}), which reported ${errors.length} type error(s) but emitted dist/ (first: ${errors[0]?.trim() ?? '?'})`;
  }
  return `${problem}: built with npm run build (${took})`;
}

/**
 * The landscape snapshot the server loads: data/landscape.json, else imported once into a temp folder from the full
 * public file or, in a clone without ../shared/data, from the test fixture (said on the output).
 */
function landscapeFile(scratch: string): string {
  const local = join(ROOT, 'data/landscape.json');
  if (existsSync(local)) return local;
  const out = join(scratch, 'landscape.json');
  const { file: source, fallback } = benchLandscape();
  if (fallback) console.log(`  note: ${fallback}`);
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'adapters/console/bin.mjs'), 'catalog', 'import-landscape', source, '--out', out],
    { cwd: ROOT, env: { ...process.env, ORCH_DATA_DIR: scratch }, encoding: 'utf8' },
  );
  if (run.status !== 0 || !existsSync(out))
    throw new Error(`no data/landscape.json and importing ${source} failed:\n${run.stdout}${run.stderr}`);
  return out;
}

function landscapeItems(file: string): number {
  return landscapeNames(file).length;
}

/** The names of the snapshot's items (none when it cannot be read). */
function landscapeNames(file: string): string[] {
  try {
    const items = (JSON.parse(readFileSync(file, 'utf8')) as { items?: { name?: unknown }[] }).items ?? [];
    return items.map((item) => String(item.name ?? '')).filter((name) => name !== '');
  } catch {
    return [];
  }
}

/** The environment a child starts from: this one without anything that configures orch, npm or Node. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(SLACK_|DISCORD_|ORCH_|npm_)/.test(k)) continue;
    if (['DATABASE_URL', 'PORT', 'NODE_OPTIONS', 'NODE_ENV'].includes(k)) continue;
    env[k] = v;
  }
  return env;
}

interface ReadyLine {
  /** Spawn to the "orch is ready" line, as this process saw it. */
  observedMs: number;
  /** main() to ready, as the server measured it. */
  startMs: number;
  /** Process uptime at ready, as the server measured it. */
  uptimeMs: number;
}

export interface ServerChild {
  proc: ChildProcess;
  pid: number;
  spawnedAt: number;
  ready: Promise<ReadyLine>;
  /** Log lines by level. */
  levels: Map<string, number>;
  /** The first few warn/error lines and anything on stderr. */
  problems: string[];
  /** --trace-gc lines: the live heap after each full (mark-compact) collection, MB, and all GC pauses, ms. */
  gc: { liveAfterFull: number[]; pauses: number[] };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function spawnServer(mode: Mode, env: Record<string, string>, flags: string[] = []): ServerChild {
  const spawnedAt = performance.now();
  // ORCH_BENCH_NODE_ARGS adds Node flags to the server (diagnosis: --cpu-prof, --heapsnapshot-signal=...).
  const nodeArgs = [...flags, ...(process.env.ORCH_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')];
  const proc = spawn(process.execPath, [...nodeArgs, ...mode.args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...mode.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const levels = new Map<string, number>();
  const problems: string[] = [];
  const gc: ServerChild['gc'] = { liveAfterFull: [], pauses: [] };
  let onReady: (line: ReadyLine) => void = () => undefined;
  let onFail: (error: Error) => void = () => undefined;
  const ready = new Promise<ReadyLine>((res, rej) => {
    onReady = res;
    onFail = rej;
  });
  ready.catch(() => undefined);
  // ORCH_BENCH_SERVER_LOG names a file that gets the server's stdout as it is (diagnosis, with the flags above).
  const copy = process.env.ORCH_BENCH_SERVER_LOG;
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    if (copy) appendFileSync(copy, `${text}\n`);
    // "[pid:0x…]  1234 ms: Mark-Compact 142.2 (175.0) -> 47.8 (156.1) MB, 58.47 / 47.89 ms …"
    const trace =
      /ms: (Scavenge|Mark-Compact|Minor Mark-Compact)[^>]*-> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \//.exec(text);
    if (trace) {
      if (trace[1] === 'Mark-Compact') gc.liveAfterFull.push(Number(trace[2]));
      gc.pauses.push(Number(trace[3]));
      return;
    }
    if (copy && !text.startsWith('{')) return;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      problems.push(`stdout: ${text.slice(0, 300)}`);
      return;
    }
    const level = String(line.level ?? '?');
    levels.set(level, (levels.get(level) ?? 0) + 1);
    if ((level === 'warn' || level === 'error' || level === 'fatal') && problems.length < 8)
      problems.push(text.slice(0, 400));
    if (line.message === 'orch is ready')
      onReady({
        observedMs: performance.now() - spawnedAt,
        startMs: Number(line.startMs),
        uptimeMs: Number(line.uptimeMs),
      });
  });
  createInterface({ input: proc.stderr as NodeJS.ReadableStream }).on('line', (text) => {
    if (problems.length < 20) problems.push(`stderr: ${text.slice(0, 400)}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    proc.once('exit', (code, signal) => {
      onFail(new Error(`the server exited (code ${code}, signal ${signal})\n${problems.join('\n')}`));
      res({ code, signal, at: performance.now() });
    }),
  );
  if (proc.pid === undefined) throw new Error('could not spawn the server');
  return { proc, pid: proc.pid, spawnedAt, ready, levels, problems, gc, exited };
}

/** Polls /readyz until it answers 200; resolves to the time since spawn. */
export async function readyz(child: ServerChild, healthPort: number, timeoutMs = 30_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (performance.now() < deadline && !exited) {
    try {
      const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(
    `the server did not become ready (/readyz 200) ${exited ? 'before exiting' : `within ${timeoutMs} ms`}\n${child.problems.join('\n')}`,
  );
}

/** SIGTERM, then the exit code and how long the shutdown took (killed after 15 s). */
export async function stopServer(child: ServerChild): Promise<{ code: number | null; ms: number }> {
  const t0 = performance.now();
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 15_000);
  const { code, at } = await child.exited;
  clearTimeout(timer);
  return { code, ms: at - t0 };
}

export async function scrape(healthPort: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${healthPort}/metrics`, { signal: AbortSignal.timeout(3000) });
    return await res.text();
  } catch {
    return '';
  }
}

export function slackEnv(fake: FakeSlack, port: number, healthPort: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_MODE: 'http',
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    ORCH_HEALTH_PORT: String(healthPort),
    // As in the image.
    NODE_ENV: 'production',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Traffic: what each scheduled slot sends

type Group = 'command' | 'quiz start' | 'click';

interface Request {
  kind: string;
  group: Group;
  body: string;
  /** For clicks: a fresh answer or a deliberate duplicate. */
  click?: 'fresh' | 'duplicate';
}

/** `/orch` texts by kind; picked with equal weight per line. */
const COMMAND_TEXTS: readonly (readonly [string, string])[] = [
  ['lookup', 'istio'],
  ['lookup', 'kubernetes'],
  ['lookup', 'tool envoy'],
  ['lookup', 'argo cd'],
  ['lookup', 'prometheus'],
  ['lookup', 'cilium'],
  ['lookup', 'kyverno'],
  ['lookup ko', '쿠버네티스'],
  ['lookup ko', '이스티오'],
  ['lookup ko', '프로메테우스가 뭐야'],
  ['lookup typo', 'kuberntes'],
  ['lookup typo', 'promethues'],
  ['lookup typo', 'isito'],
  ['lookup typo', 'linkred'],
  ['lookup', 'zzqx frobnicator'],
  ['search', 'search service mesh'],
  ['search', 'search 모니터링'],
  ['search', 'find gitops'],
  ['compare', 'compare istio linkerd'],
  ['compare', 'compare prometheus grafana'],
  ['compare', '비교 argo flux'],
  ['roadmap', 'roadmap'],
  ['lesson', 'lesson'],
  ['lesson', 'lesson 3'],
  ['leaderboard', 'leaderboard'],
  ['leaderboard', 'leaderboard all'],
  ['help', 'help'],
  ['help', '도움말'],
];
/**
 * Lookups of texts the server has not seen: the next of a rotation over the landscape's names, typos, questions and
 * made-up words (tests/bench/lookup-texts.ts). Without them nearly every lookup above is a reply-cache hit.
 */
const NEW_LOOKUP = '\u0000new lookup';
/** How many of the command lines above each new-lookup line weighs: half the lookups are new texts. */
const NEW_LOOKUP_LINES = 15;
const COMMAND_CHOICES: readonly (readonly [string, string])[] = [
  ...COMMAND_TEXTS,
  ...Array.from({ length: NEW_LOOKUP_LINES }, () => ['lookup (new text)', NEW_LOOKUP] as const),
];
const COMMAND_CHANNELS = 20;
const COMMAND_MEMBERS = 500;
/** Quiz rounds running at once, each in a channel of its own (a new channel per round: no cool-down). */
const QUIZ_CHANNELS = 10;
const QUIZ_TOPICS = ['kubernetes', '쿠버네티스', 'service mesh', 'istio', 'kubernetes-basics'];
const QUIZ_QUESTIONS = 3;
const QUIZ_SECONDS = 15;
/** Members per quiz channel: everyone answers every question, so questions after the first close early. */
const QUIZ_GROUP = 80;
/** Share of slots that are clicks while some open question still has members to answer it. */
const CLICK_SHARE = 0.5;
/** Share of clicks that repeat a member's earlier click on the same question. */
const DUPLICATE_SHARE = 0.1;
/** A round that shows no open question for this long (after starting, or between questions) is given up on. */
const STALL_MS = 20_000;

interface QuizButton {
  value: string;
  roundId: string;
  index: number;
}

interface OpenQuestion {
  roundId: string;
  index: number;
  total: number;
  buttons: QuizButton[];
}

interface QuizChannel {
  id: string;
  serial: number;
  startedAt: number;
  /** Last time an open question was seen (or the start). */
  lastProgress: number;
  lastIndex: number;
  total: number;
  /** Who answered which question (`round:index`). */
  answered: Map<string, Set<string>>;
}

function quizButtons(blocks: unknown[] | undefined): QuizButton[] {
  const out: QuizButton[] = [];
  for (const block of blocks ?? []) {
    const b = block as { type?: string; elements?: { value?: string }[] };
    if (b.type !== 'actions') continue;
    for (const element of b.elements ?? []) {
      if (!element.value) continue;
      try {
        const decoded = JSON.parse(element.value) as { a?: string; v?: string };
        if (decoded.a !== 'quiz.answer' || typeof decoded.v !== 'string') continue;
        const [roundId = '', index = ''] = decoded.v.split(':');
        out.push({ value: element.value, roundId, index: Number(index) });
      } catch {
        // not one of the bot's buttons
      }
    }
  }
  return out;
}

function questionTotal(blocks: unknown[] | undefined): number {
  for (const block of blocks ?? []) {
    const b = block as { type?: string; text?: { text?: string } };
    const m = b.type === 'header' ? /(\d+)\s*\/\s*(\d+)/.exec(b.text?.text ?? '') : null;
    if (m) return Number(m[2]);
  }
  return 0;
}

/**
 * Decides what each slot sends. Quiz rounds are real: the question messages the server posts to the fake are read
 * back for their buttons, and a click goes to a question that is open as far as the fake has seen.
 */
class Traffic {
  private serial = 0;
  private next = 0;
  private readonly channels: QuizChannel[] = [];
  private nextLookup = 0;
  private pendingStarts: QuizChannel[] = [];
  readonly rounds = { started: 0, finished: 0, stalled: 0 };

  constructor(
    private readonly fake: FakeSlack,
    /** Bare Bolt: no rounds exist, so clicks carry a made-up value (it only acks). */
    private readonly synthetic: boolean,
    private readonly random: () => number,
    /** Texts for NEW_LOOKUP slots, taken in turn. */
    private readonly newLookups: readonly string[] = [],
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private openQuestion(channel: string): OpenQuestion | null {
    const history = this.fake.messages.get(channel) ?? [];
    for (let i = history.length - 1; i >= 0; i--) {
      const message = history[i];
      const buttons = quizButtons(message?.blocks);
      const first = buttons[0];
      if (first)
        return {
          roundId: first.roundId,
          index: first.index,
          total: questionTotal(message?.blocks),
          buttons,
        };
    }
    return null;
  }

  /** Retires finished or stuck rounds and queues new ones, so QUIZ_CHANNELS rounds keep running. */
  private refresh(now: number): void {
    if (this.synthetic) return;
    for (let i = this.channels.length - 1; i >= 0; i--) {
      const channel = this.channels[i] as QuizChannel;
      const open = this.openQuestion(channel.id);
      if (open) {
        channel.lastProgress = now;
        channel.lastIndex = open.index;
        channel.total = open.total;
        continue;
      }
      const finished = channel.total > 0 && channel.lastIndex >= channel.total - 1;
      if (finished) this.rounds.finished++;
      else if (now - channel.lastProgress > STALL_MS) this.rounds.stalled++;
      else continue;
      this.channels.splice(i, 1);
    }
    while (this.channels.length < QUIZ_CHANNELS) {
      const serial = this.serial++;
      const channel: QuizChannel = {
        id: `CQUIZ${String(serial).padStart(4, '0')}`,
        serial,
        startedAt: now,
        lastProgress: now,
        lastIndex: -1,
        total: 0,
        answered: new Map(),
      };
      this.channels.push(channel);
      this.pendingStarts.push(channel);
    }
  }

  /** The request for the next slot. */
  take(responseUrl: (id: string) => string, id: string): Request {
    const now = performance.now();
    if (this.next++ % 20 === 0) this.refresh(now);
    const start = this.pendingStarts.shift();
    if (start) {
      this.rounds.started++;
      const topic = QUIZ_TOPICS[start.serial % QUIZ_TOPICS.length] as string;
      return {
        kind: 'quiz start',
        group: 'quiz start',
        body: slashCommandBody({
          text: `quiz ${topic} ${QUIZ_QUESTIONS} ${QUIZ_SECONDS}`,
          channel_id: start.id,
          user_id: `${start.id}M0`,
          user_name: 'starter',
          response_url: responseUrl(id),
        }),
      };
    }
    if (this.random() < CLICK_SHARE) {
      const click = this.synthetic ? this.syntheticClick(responseUrl(id)) : this.click(responseUrl(id));
      if (click) return click;
    }
    const [kind, line] = this.pick(COMMAND_CHOICES);
    const text =
      line === NEW_LOOKUP ? (this.newLookups[this.nextLookup++ % this.newLookups.length] ?? 'istio') : line;
    const member = Math.floor(this.random() * COMMAND_MEMBERS);
    return {
      kind,
      group: 'command',
      body: slashCommandBody({
        text,
        channel_id: `CCMD${Math.floor(this.random() * COMMAND_CHANNELS)}`,
        user_id: `UCMD${member}`,
        user_name: `member${member}`,
        response_url: responseUrl(id),
      }),
    };
  }

  private click(url: string): Request | null {
    // Channels in random order; the first with an open question and a member still to answer (or a duplicate).
    const order = [...this.channels].sort(() => this.random() - 0.5);
    const duplicate = this.random() < DUPLICATE_SHARE;
    for (const channel of order) {
      const open = this.openQuestion(channel.id);
      if (!open) continue;
      const key = `${open.roundId}:${open.index}`;
      let answered = channel.answered.get(key);
      if (!answered) {
        answered = new Set();
        channel.answered.set(key, answered);
      }
      let member: string | undefined;
      if (duplicate) {
        if (answered.size === 0) continue;
        member = this.pick([...answered]);
      } else {
        if (answered.size >= QUIZ_GROUP) continue;
        for (let k = 0; k < QUIZ_GROUP && member === undefined; k++) {
          const candidate = `${channel.id}M${Math.floor(this.random() * QUIZ_GROUP)}`;
          if (!answered.has(candidate)) member = candidate;
        }
        member ??= Array.from({ length: QUIZ_GROUP }, (_, k) => `${channel.id}M${k}`).find(
          (m) => !answered.has(m),
        );
        if (member === undefined) continue;
        answered.add(member);
      }
      const button = this.pick(open.buttons);
      const message = this.fake
        .history(channel.id)
        .find((m) => quizButtons(m.blocks)[0]?.index === open.index);
      return {
        kind: duplicate ? 'click (duplicate)' : 'click',
        group: 'click',
        click: duplicate ? 'duplicate' : 'fresh',
        body: blockActionsBody({
          action_id: `quiz.answer:${open.buttons.indexOf(button)}`,
          value: button.value,
          user: member,
          user_name: member.toLowerCase(),
          channel: channel.id,
          ...(message ? { message_ts: message.ts } : {}),
          response_url: url,
        }),
      };
    }
    return null;
  }

  private syntheticClick(url: string): Request {
    const member = Math.floor(this.random() * QUIZ_GROUP);
    return {
      kind: 'click',
      group: 'click',
      click: 'fresh',
      body: blockActionsBody({
        action_id: 'quiz.answer:1',
        value: JSON.stringify({ a: 'quiz.answer', v: `bare-round:0:${member % 4}` }),
        user: `UQ${member}`,
        channel: `CQUIZ${member % QUIZ_CHANNELS}`,
        response_url: url,
      }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The open-loop driver

interface Sample {
  id: string;
  kind: string;
  group: Group;
  click?: 'fresh' | 'duplicate';
  /** Epoch ms when it left, to time its answer against. */
  sentAt: number;
  /** How late it left against its schedule. */
  lateMs: number;
  /** Seconds since the first request of its run. */
  t: number;
  status: number;
  ms: number;
  error?: string;
}

interface Run {
  samples: Sample[];
  sendingMs: number;
  /** RSS every second during the run: seconds since the first send, bytes. */
  rss: { t: number; bytes: number }[];
  /** CPU seconds the process under test used while the requests went out. */
  cpuSeconds: number | null;
}

export function send(
  url: URL,
  agent: Agent,
  body: string,
): Promise<{ status: number; ms: number; error?: string }> {
  return new Promise((done) => {
    const t0 = performance.now();
    let settled = false;
    const finish = (status: number, error?: string) => {
      if (settled) return;
      settled = true;
      done({ status, ms: performance.now() - t0, ...(error ? { error } : {}) });
    };
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...signSlackRequest(SECRET, body), 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.on('error', (e) => finish(0, (e as NodeJS.ErrnoException).code ?? e.message));
        res.on('end', () =>
          finish(res.statusCode ?? 0, res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`),
        );
        res.resume();
      },
    );
    req.setTimeout(ACK_TIMEOUT_MS, () => {
      finish(0, `no ack within ${ACK_TIMEOUT_MS} ms`);
      req.destroy();
    });
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code ?? e.message;
      // A keep-alive socket the server closed while this request was being written to it: the classic client race.
      finish(
        0,
        req.reusedSocket && code === 'ECONNRESET' ? 'ECONNRESET on a reused keep-alive socket' : code,
      );
    });
    req.end(body);
  });
}

/** Sends `rate` requests per second for `seconds`, each on its own schedule, and waits for every ack. */
async function drive(options: {
  url: string;
  traffic: Traffic;
  fake: FakeSlack;
  tag: string;
  rate: number;
  seconds: number;
  pid: number;
}): Promise<Run> {
  const { traffic, fake, tag, rate, pid } = options;
  const url = new URL(options.url);
  // No socket limit: a slow ack must not hold the next request back, or the loop would close again. Idle sockets are
  // dropped after 4 s, before the server's 5 s keep-alive timeout: otherwise a request can go out on a socket the
  // server is closing at that moment (ECONNRESET on a reused socket, a client race that says nothing of the server).
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 4000 });
  const total = Math.round(rate * options.seconds);
  const pending: Promise<Sample>[] = [];
  const rss: { t: number; bytes: number }[] = [];
  const cpu0 = cpuOf(pid);
  const t0 = performance.now();
  const first = rssOf(pid);
  if (first !== null) rss.push({ t: 0, bytes: first });
  const sampler = setInterval(() => {
    const bytes = rssOf(pid);
    if (bytes !== null) rss.push({ t: (performance.now() - t0) / 1000, bytes });
  }, 1000);
  for (let i = 0; i < total; ) {
    const due = t0 + (i * 1000) / rate;
    const now = performance.now();
    if (now < due) {
      await sleep(due - now);
      continue;
    }
    // Everything that is due leaves now (a late timer sends a small burst rather than dropping the rate).
    const id = `${tag}:${i}`;
    const req = traffic.take((rid) => fake.responseUrl(rid), id);
    const sentAt = Date.now();
    pending.push(
      send(url, agent, req.body).then((r) => ({
        id,
        kind: req.kind,
        group: req.group,
        ...(req.click ? { click: req.click } : {}),
        sentAt,
        lateMs: now - due,
        t: (now - t0) / 1000,
        ...r,
      })),
    );
    i++;
  }
  const sendingMs = performance.now() - t0;
  clearInterval(sampler);
  const last = rssOf(pid);
  if (last !== null) rss.push({ t: sendingMs / 1000, bytes: last });
  const cpu1 = cpuOf(pid);
  const samples = await Promise.all(pending);
  agent.destroy();
  return { samples, sendingMs, rss, cpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null };
}

/** Waits until every request of the run has an answer on its response_url, or the wait runs out. */
async function awaitAnswers(fake: FakeSlack, samples: readonly Sample[]): Promise<Map<string, number>> {
  const wanted = new Set(samples.map((s) => s.id));
  const first = new Map<string, number>();
  let seen = 0;
  const deadline = Date.now() + ANSWER_WAIT_MS;
  for (;;) {
    for (; seen < fake.responses.length; seen++) {
      const r = fake.responses[seen];
      if (r && wanted.has(r.id) && !first.has(r.id)) first.set(r.id, r.at);
    }
    if (first.size >= wanted.size || Date.now() > deadline) return first;
    await sleep(50);
  }
}

/** What a click's answer said, in either language. */
function clickOutcome(body: unknown): string {
  const text = String((body as { text?: unknown } | null)?.text ?? '');
  if (/Got it|로 답했어요/.test(text)) return 'received';
  if (/already answered|이미 답한/.test(text)) return 'duplicate';
  if (/is closed|이미 마감/.test(text)) return 'closed';
  return 'other';
}

interface Summary {
  count: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function summarize(samples: readonly Sample[]): Summary {
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    count: samples.length,
    errors: samples.filter((s) => s.status !== 200).length,
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? 0,
  };
}

/** Mean RSS of the first and the last `window` seconds, and the growth between them. */
function growth(
  rss: Run['rss'],
  seconds: number,
): { window: number; first: number; last: number; growth: number } {
  const window = Math.min(10, Math.max(1, Math.floor(seconds / 3)));
  const first = mean(rss.filter((s) => s.t <= window).map((s) => s.bytes));
  const last = mean(rss.filter((s) => s.t >= seconds - window).map((s) => s.bytes));
  return { window, first, last, growth: first > 0 ? last / first - 1 : 0 };
}

/** The Slack pod's memory request and limit in MiB, from deploy/slack-deployment.yaml (null when not found). */
function podMemory(): { request: number | null; limit: number | null } {
  try {
    const yaml = readFileSync(join(ROOT, 'deploy/slack-deployment.yaml'), 'utf8');
    const mib = (section: string) => {
      const m = new RegExp(`${section}:\\s*\\n(?:\\s+cpu: \\S+\\n)?\\s+memory: (\\d+)Mi`).exec(yaml);
      return m ? Number(m[1]) : null;
    };
    return { request: mib('requests'), limit: mib('limits') };
  } catch {
    return { request: null, limit: null };
  }
}

/**
 * The live heap after full collections during the run: mean of the first third of them against the last third
 * (null with fewer than three), so one collection that happened to run mid-burst does not decide it.
 */
function liveHeapGrowth(live: readonly number[]): { first: number; last: number; growth: number } | null {
  if (live.length < 3) return null;
  const third = Math.max(1, Math.floor(live.length / 3));
  const first = mean(live.slice(0, third));
  const last = mean(live.slice(-third));
  return { first, last, growth: first > 0 ? last / first - 1 : 0 };
}

// ---------------------------------------------------------------------------------------------------------
// The bare Bolt app (a child process: plain node, the same @slack/bolt the server uses, acks only)

const BARE_APP = `
const { App } = require(process.env.BOLT_PATH);
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  // orch turns Bolt's in-memory conversation store off; the baseline does too, or it would carry work orch does not.
  convoStore: false,
});
app.command('/orch', async ({ ack }) => { await ack(); });
app.action(/.*/, async ({ ack }) => { await ack(); });
app.start(Number(process.env.PORT)).then(() => process.stdout.write('bare ready\\n'));
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
`;

async function startBare(fake: FakeSlack): Promise<{ proc: ChildProcess; pid: number; url: string }> {
  const port = await freePort();
  const boltPath = createRequire(join(ROOT, 'package.json')).resolve('@slack/bolt');
  const proc = spawn(process.execPath, ['-e', BARE_APP], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      BOLT_PATH: boltPath,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('the bare Bolt app did not start')), 20_000);
    proc.once('exit', (code) => rej(new Error(`the bare Bolt app exited (${code})`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'bare ready') {
        clearTimeout(timer);
        res();
      }
    });
  });
  return { proc, pid: proc.pid as number, url: `http://127.0.0.1:${port}/slack/events` };
}

// ---------------------------------------------------------------------------------------------------------
// Section: load

export async function benchLoad(argv: readonly string[]): Promise<void> {
  const seconds = numberOption(argv, 'duration', 60);
  const rate = numberOption(argv, 'rate', 200);
  const baselineSeconds = Math.min(numberOption(argv, 'baseline', 15), seconds);
  const warmSeconds = Math.min(3, seconds);
  // dist/ when it is there (rebuilt first when older than the sources), else the sources through tsx.
  const forced = argv.includes('--dist') ? 'dist' : argv.includes('--tsx') ? 'tsx' : null;
  const present = existsSync(DIST_ENTRY);
  const mode = MODES[forced ?? (present ? 'dist' : 'tsx')];
  const why =
    mode.name === 'dist'
      ? ensureDist()
      : forced
        ? 'forced with --tsx'
        : 'dist/ is missing (npm run build to measure it)';
  // On by default: the live heap after each full collection is the leak check, RSS the pod's sizing (issue 15).
  const traceGc = !argv.includes('--no-trace-gc');
  const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-load-'));
  const landscape = landscapeFile(scratch);
  const newLookups = rotatingLookups(landscapeNames(landscape), Math.ceil(rate * (seconds + warmSeconds)));
  console.log(
    `\nload: Slack HTTP mode, ${rate} requests/s open loop for ${seconds} s over loopback, mixed /orch commands and quiz clicks` +
      `\n  server: ${mode.command}${addedFlags()}${traceGc ? ' + --trace-gc' : ''} (${why})` +
      `; SQLite in ${scratch}; landscape ${landscape} (${landscapeItems(landscape)} items)` +
      `\n  ${machine()}; ${warmSeconds} s warm-up at ${rate / 2}/s first (not counted)`,
  );
  const fake = await startFakeSlack();
  const port = await freePort();
  const healthPort = await freePort();
  const child = spawnServer(
    mode,
    { ...slackEnv(fake, port, healthPort), ORCH_DATA_DIR: scratch, ORCH_LANDSCAPE_FILE: landscape },
    traceGc ? ['--trace-gc'] : [],
  );
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const readyMs = await readyz(child, healthPort);
    const url = `http://127.0.0.1:${port}/slack/events`;
    const traffic = new Traffic(fake, false, seededRandom(7), newLookups);
    const warm = await drive({
      url,
      traffic,
      fake,
      tag: 'warm',
      rate: rate / 2,
      seconds: warmSeconds,
      pid: child.pid,
    });
    await awaitAnswers(fake, warm.samples);
    const warmErrors = warm.samples.filter((s) => s.status !== 200).length;

    const metricsBefore = await scrape(healthPort);
    const fullGcsBefore = child.gc.liveAfterFull.length;
    const run = await drive({ url, traffic, fake, tag: 'orch', rate, seconds, pid: child.pid });
    const liveInRun = child.gc.liveAfterFull.slice(fullGcsBefore);
    const answers = await awaitAnswers(fake, run.samples);
    const metrics = await scrape(healthPort);
    const stopped = await stopServer(child);

    // The bare app, the same traffic (clicks carry made-up values), a shorter time.
    let bareRun: Run | undefined;
    if (baselineSeconds > 0) {
      bare = await startBare(fake);
      const bareTraffic = new Traffic(fake, true, seededRandom(7), newLookups);
      await drive({
        url: bare.url,
        traffic: bareTraffic,
        fake,
        tag: 'bare-warm',
        rate: rate / 2,
        seconds: warmSeconds,
        pid: bare.pid,
      });
      bareRun = await drive({
        url: bare.url,
        traffic: bareTraffic,
        fake,
        tag: 'bare',
        rate,
        seconds: baselineSeconds,
        pid: bare.pid,
      });
    }

    // --- figures
    const responsesById = new Map<string, unknown>();
    for (const r of fake.responses) if (!responsesById.has(r.id)) responsesById.set(r.id, r.body);
    const answerMs = (s: Sample) => {
      const at = answers.get(s.id);
      return at === undefined ? null : at - s.sentAt;
    };
    const answeredOf = (samples: readonly Sample[]) => samples.filter((s) => answers.has(s.id)).length;
    const answerTimes = (samples: readonly Sample[]) =>
      samples
        .map(answerMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);

    const all = summarize(run.samples);
    const g = growth(run.rss, seconds);
    const rows: string[][] = [];
    const allAnswers = answerTimes(run.samples);
    rows.push([
      `orch server (${mode.name}), ${seconds} s`,
      String(all.count),
      ((run.samples.length - 1) / (run.sendingMs / 1000)).toFixed(1),
      String(all.errors),
      msText(all.p50),
      msText(all.p90),
      msText(all.p99),
      msText(all.max),
      `${answeredOf(run.samples)}/${all.count}`,
      `${msText(percentile(allAnswers, 50))} / ${msText(percentile(allAnswers, 99))}`,
      `${mbText(g.first)} -> ${mbText(g.last)} (${g.growth >= 0 ? '+' : ''}${(g.growth * 100).toFixed(1)}%)`,
    ]);
    if (bareRun) {
      const b = summarize(bareRun.samples);
      const bg = growth(bareRun.rss, baselineSeconds);
      rows.push([
        `bare Bolt (ack only), ${baselineSeconds} s`,
        String(b.count),
        ((bareRun.samples.length - 1) / (bareRun.sendingMs / 1000)).toFixed(1),
        String(b.errors),
        msText(b.p50),
        msText(b.p90),
        msText(b.p99),
        msText(b.max),
        'n/a (acks only)',
        'n/a',
        `${mbText(bg.first)} -> ${mbText(bg.last)} (${bg.growth >= 0 ? '+' : ''}${(bg.growth * 100).toFixed(1)}%)`,
      ]);
    }
    console.log(
      table(
        [
          'run',
          'requests',
          'sent/s',
          'errors',
          'p50 ack',
          'p90 ack',
          'p99 ack',
          'max ack',
          'answered',
          'answer p50 / p99',
          `rss first ${g.window} s -> last ${g.window} s`,
        ],
        rows,
      ),
    );

    // By kind of request.
    const kinds = [...new Set(run.samples.map((s) => s.kind))].sort();
    const kindRows = kinds.map((kind) => {
      const samples = run.samples.filter((s) => s.kind === kind);
      const s = summarize(samples);
      const times = answerTimes(samples);
      return [
        kind,
        String(s.count),
        String(s.errors),
        msText(s.p50),
        msText(s.p99),
        msText(s.max),
        `${answeredOf(samples)}/${s.count}`,
        msText(percentile(times, 50)),
        msText(percentile(times, 99)),
        msText(times[times.length - 1] ?? 0),
      ];
    });
    console.log(
      `\norch by kind of request\n${table(
        [
          'kind',
          'requests',
          'errors',
          'p50 ack',
          'p99 ack',
          'max ack',
          'answered',
          'answer p50',
          'answer p99',
          'answer max',
        ],
        kindRows,
      )}`,
    );

    const errorKinds = new Map<string, number>();
    for (const s of run.samples) if (s.error) errorKinds.set(s.error, (errorKinds.get(s.error) ?? 0) + 1);
    const errorTimes = run.samples
      .filter((s) => s.error)
      .slice(0, 10)
      .map((s) => `${s.kind} at ${s.t.toFixed(2)} s after ${msText(s.ms)}`)
      .join(', ');
    const startReplies = new Map<string, number>();
    for (const s of run.samples.filter((x) => x.group === 'quiz start')) {
      const text = String((responsesById.get(s.id) as { text?: unknown } | undefined)?.text ?? 'no answer');
      const key = /Round started|라운드를 시작했어요/.test(text) ? 'started' : text.slice(0, 80);
      startReplies.set(key, (startReplies.get(key) ?? 0) + 1);
    }
    const cpu = (r: Run) =>
      r.cpuSeconds === null ? '?' : `${((r.cpuSeconds / (r.sendingMs / 1000)) * 100).toFixed(0)}%`;
    // Quiz: what the click answers said, against what the server counted.
    const outcomes = new Map<string, number>();
    for (const s of run.samples.filter((x) => x.group === 'click')) {
      const key = `${s.click}->${answers.has(s.id) ? clickOutcome(responsesById.get(s.id)) : 'unanswered'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const clickText = [...outcomes.entries()]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const served = (outcome: string) =>
      metric(metrics, 'orch_quiz_answers_total', { outcome }, true)?.toFixed(0) ?? '?';
    console.log(
      `\nquiz rounds: ${traffic.rounds.started} started (warm-up included), ${traffic.rounds.finished} finished, ${traffic.rounds.stalled} stalled;` +
        ` quiz start answers in the run: ${[...startReplies.entries()].map(([k, v]) => `${k} ${v}`).join('; ') || 'none (all in the warm-up)'};` +
        ` clicks (sent as -> answered as): ${clickText || 'none'}` +
        `\nserver /metrics at the end: quiz answers counted ${served('counted')}, duplicate ${served('duplicate')},` +
        ` closed ${served('closed')}, unknown ${served('unknown')}; commands ok ${metric(metrics, 'orch_commands_total', { outcome: 'ok' }, true) ?? (metrics ? 0 : '?')},` +
        ` user_error ${metric(metrics, 'orch_commands_total', { outcome: 'user_error' }, true) ?? (metrics ? 0 : '?')},` +
        ` error ${metric(metrics, 'orch_commands_total', { outcome: 'error' }, true) ?? (metrics ? 0 : '?')};` +
        ` event loop lag p99 ${((metric(metrics, 'orch_nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000).toFixed(1)} ms,` +
        ` heap used ${mbText(metric(metrics, 'orch_nodejs_heap_size_used_bytes') ?? 0)}`,
    );
    const late = run.samples.map((s) => s.lateMs).sort((a, b) => a - b);
    const rssText = run.rss.map((s) => (s.bytes / MB).toFixed(0)).join(' ');
    console.log(
      `server: ready ${msText(readyMs)} after spawn; warm-up ${warm.samples.length} requests, ${warmErrors} errors;` +
        ` log lines ${[...child.levels.entries()].map(([k, v]) => `${k} ${v}`).join(', ')};` +
        ` SIGTERM after the run: exit ${stopped.code} in ${msText(stopped.ms)}` +
        `\nserver cpu during the run ${cpu(run)} of one core${bareRun ? ` (bare Bolt: ${cpu(bareRun)})` : ''}` +
        `\nerrors by cause: ${[...errorKinds.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}${errorTimes ? ` (${errorTimes})` : ''};` +
        ` generator lateness against the schedule p99 ${msText(percentile(late, 99))}, max ${msText(late[late.length - 1] ?? 0)}` +
        `\nrss MB each second: ${rssText}`,
    );
    if (traceGc) {
      const pauses = [...child.gc.pauses].sort((a, b) => a - b);
      console.log(
        `--trace-gc: live heap after each full GC (MB, warm-up and run): ${child.gc.liveAfterFull.map((v) => v.toFixed(1)).join(' ')};` +
          ` ${pauses.length} GC pauses, p50 ${msText(percentile(pauses, 50))}, p99 ${msText(percentile(pauses, 99))},` +
          ` max ${msText(pauses[pauses.length - 1] ?? 0)}, total ${msText(pauses.reduce((a, b) => a + b, 0))}`,
      );
    }
    // Lookups the reply cache answered and those it computed, during the run (the server's own counter).
    const cacheIn = (result: string) =>
      (metric(metrics, 'orch_lookup_cache_total', { result }) ?? 0) -
      (metric(metricsBefore, 'orch_lookup_cache_total', { result }) ?? 0);
    const hits = cacheIn('hit');
    const misses = cacheIn('miss');
    console.log(
      `reply cache during the run (server's orch_lookup_cache_total): ${hits} hits, ${misses} misses` +
        ` (${((hits / Math.max(1, hits + misses)) * 100).toFixed(0)}% hits); the 'lookup (new text)' rows above are the misses' latencies`,
    );
    // Memory, both ways: RSS is what the pod is charged and must fit in its request; the live heap after full
    // collections is what tells a leak from the collector's saw-tooth and young generation (RSS grew 22-40% here in
    // every re-run while the live heap stayed flat).
    const pod = podMemory();
    const rssMax = Math.max(0, ...run.rss.map((r) => r.bytes));
    const live = liveHeapGrowth(liveInRun);
    console.log(
      `memory: rss ${mbText(g.first)} -> ${mbText(g.last)} (${g.growth >= 0 ? '+' : ''}${(g.growth * 100).toFixed(1)}%, first vs last ${g.window} s),` +
        ` max ${mbText(rssMax)} under load; live heap after full GC ${live ? `${live.first.toFixed(1)} -> ${live.last.toFixed(1)} MB (${live.growth >= 0 ? '+' : ''}${(live.growth * 100).toFixed(1)}%, ${liveInRun.length} full GCs in the run)` : `n/a (${liveInRun.length} full GCs in the run${traceGc ? '' : '; --no-trace-gc'})`}` +
        `; pod (deploy/slack-deployment.yaml) memory request ${pod.request ?? '?'} Mi, limit ${pod.limit ?? '?'} Mi`,
    );
    if (child.problems.length > 0)
      console.log(
        `server warnings/errors (first ${child.problems.length}):\n  ${child.problems.join('\n  ')}`,
      );
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const unanswered = all.count - answeredOf(run.samples);
    console.log(
      `targets: zero errors ${pass(all.errors === 0)} (${all.errors}); p99 ack <= ${TARGET_P99_MS} ms ${pass(all.p99 <= TARGET_P99_MS)}` +
        ` (${msText(all.p99)}); live heap after full GC growth < ${TARGET_GROWTH * 100}% ${live ? pass(live.growth < TARGET_GROWTH) : 'n/a'}` +
        ` (${live ? `${(live.growth * 100).toFixed(1)}%` : 'too few full GCs'}); rss under load within the pod's memory request` +
        ` ${pod.request === null ? 'n/a' : pass(rssMax <= pod.request * MB)} (max ${mbText(rssMax)} vs ${pod.request ?? '?'} Mi;` +
        ` rss growth ${(g.growth * 100).toFixed(1)}% is reported, not a target: it is not a leak test);` +
        ` every request answered ${pass(unanswered === 0)}` +
        ` (${unanswered} unanswered after ${ANSWER_WAIT_MS / 1000} s)`,
    );
  } finally {
    if (child.proc.exitCode === null && child.proc.signalCode === null) await stopServer(child);
    if (bare) {
      bare.proc.kill('SIGTERM');
      await new Promise((r) => bare?.proc.once('exit', r));
    }
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Section: footprint

/** One way of starting the server for the start-to-ready runs (`npm run start:slack`, Slack only). */
interface FootprintVariant {
  label: string;
  mode: Mode;
  landscape: boolean;
  /** The compiled snapshot of catalog/, or a copy of the catalog that cannot hold one (the YAML is parsed). */
  catalog: 'snapshot' | 'yaml';
}

const READY_VARIANTS: FootprintVariant[] = [
  { label: 'dist, snapshot, no landscape', mode: MODES.dist, landscape: false, catalog: 'snapshot' },
  { label: 'dist, snapshot, landscape', mode: MODES.dist, landscape: true, catalog: 'snapshot' },
  { label: 'dist, YAML, landscape', mode: MODES.dist, landscape: true, catalog: 'yaml' },
  { label: 'tsx, YAML, landscape (old path)', mode: MODES.tsx, landscape: true, catalog: 'yaml' },
];

/**
 * The Node flags of the README's server commands (`npm run serve`, `start:slack`, `start:discord`), read from
 * package.json's `serve` script, so the bench runs what those commands run.
 */
const README_FLAGS = (
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts.serve ?? ''
)
  .split(' ')
  .filter((word) => word.startsWith('--'));

// The README's server command as it tells users to run it outside the image: with the image's malloc setting, which
// an npm script cannot set on every platform (README "The image"), and plain, as someone who skips that line runs it.
const README_MODE: Mode = {
  name: 'dist',
  args: [...README_FLAGS, join(ROOT, 'adapters/server/bin.mjs')],
  command: `${imageEnvText}node ${[...README_FLAGS, 'adapters/server/bin.mjs'].join(' ')} (what ${imageEnvText}npm run serve, start:slack and start:discord run, as the README says; dist/ as it is current)`,
  env: IMAGE_ENV,
};
const README_MODE_PLAIN: Mode = {
  ...README_MODE,
  command: `node ${[...README_FLAGS, 'adapters/server/bin.mjs'].join(' ')} (npm run serve without the malloc setting)`,
  env: {},
};

/** One process the memory table measures: the server in one configuration, or a bare SDK app for scale. */
interface MemoryVariant {
  label: string;
  /** The server (which platforms have a token), or a bare app of one SDK. */
  kind: 'server' | 'bare bolt' | 'bare discord.js';
  mode: Mode;
  slack: boolean;
  discord: boolean;
  landscape: boolean;
  /** Held to issue 15's idle target (both platforms and the landscape). */
  target: boolean;
}

const server = (
  label: string,
  mode: Mode,
  platforms: { slack: boolean; discord: boolean },
  landscape: boolean,
): MemoryVariant => ({
  label,
  kind: 'server',
  mode,
  ...platforms,
  landscape,
  target: platforms.slack && platforms.discord && landscape,
});

const MEMORY_VARIANTS: MemoryVariant[] = [
  server('image: Slack only', MODES.dist, { slack: true, discord: false }, false),
  server('image: Discord only', MODES.dist, { slack: false, discord: true }, false),
  server('image: Slack + Discord', MODES.dist, { slack: true, discord: true }, false),
  server('image: Slack + Discord + landscape', MODES.dist, { slack: true, discord: true }, true),
  server(
    `${imageEnvText}npm run serve: Slack + Discord + landscape`,
    README_MODE,
    { slack: true, discord: true },
    true,
  ),
  {
    label: 'bare Bolt app (HTTP, convoStore: false)',
    kind: 'bare bolt',
    mode: MODES.dist,
    slack: true,
    discord: false,
    landscape: false,
    target: false,
  },
  {
    label: 'bare discord.js client (Guilds)',
    kind: 'bare discord.js',
    mode: MODES.dist,
    slack: false,
    discord: true,
    landscape: false,
    target: false,
  },
  {
    ...server(
      'npm run serve without the malloc setting: Slack + Discord + landscape',
      README_MODE_PLAIN,
      {
        slack: true,
        discord: true,
      },
      true,
    ),
    // For scale: what skipping the README's malloc line costs, not a target.
    target: false,
  },
];

interface MemoryRun {
  variant: MemoryVariant;
  /** Spawn to ready: /readyz 200 for the server, the bare app's "ready" line (after READY for discord.js). */
  readyMs: number;
  /** CPU time (user + system) used by then. */
  cpuAtReadyMs: number;
  idleRss: number;
  /** Of the idle RSS: anonymous memory (heaps) and file-backed pages (the node binary's code, ICU data, libraries). */
  rssAnon: number;
  rssFile: number;
  /** After two full collections in the idle process (the bench's probe, below). */
  heapUsedAfterGc: number;
  heapTotalAfterGc: number;
  shutdown: { code: number | null; ms: number };
}

// Idle: IDLE_WAIT_MS after ready (the Discord READY included), then the median of IDLE_SAMPLES samples.
const IDLE_WAIT_MS = 10_000;
const IDLE_SAMPLES = 12;
const IDLE_SAMPLE_EVERY_MS = 250;

/** Issue 15's targets: a cold `orch ask istio`, the server ready without and with the landscape, idle memory. */
const TARGET_ASK_MS = 300;
const TARGET_READY_BARE_MS = 500;
const TARGET_READY_LANDSCAPE_MS = 700;
const TARGET_IDLE_RSS_MB = 100;

// The bench's probe in every measured process, sent SIGUSR2 after the idle samples: two full collections, then the
// heap figures on stderr. --expose-gc gives it `gc`; nothing else runs until the signal.
const HEAP_PROBE_TAG = 'orch-bench-heap';
const HEAP_PROBE_FLAGS = [
  '--expose-gc',
  `--import=data:text/javascript,process.on('SIGUSR2',()=>{gc();gc();const m=process.memoryUsage();process.stderr.write('${HEAP_PROBE_TAG} '+JSON.stringify({heapUsed:m.heapUsed,heapTotal:m.heapTotal})+'\\n')})`,
];

// The bare apps, plain node with the same SDKs as the server: ready once listening (Bolt) or after READY (discord.js).
const BARE_BOLT_IDLE = `
const { App } = require(process.env.BOLT_PATH);
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  convoStore: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/orch', async ({ ack }) => { await ack(); });
app.action(/.*/, async ({ ack }) => { await ack(); });
app.start(Number(process.env.PORT)).then(() => process.stdout.write('bare ready\\n'));
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
`;

const BARE_DISCORD_IDLE = `
const { Client, GatewayIntentBits } = require(process.env.DISCORD_PATH);
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: process.env.DISCORD_API_URL } });
client.once('clientReady', () => process.stdout.write('bare ready\\n'));
client.on('interactionCreate', () => undefined);
client.login(process.env.DISCORD_TOKEN);
process.on('SIGTERM', () => client.destroy().then(() => process.exit(0)));
`;

/** VmRSS, RssAnon and RssFile of a process, in bytes (Linux /proc), or null when it cannot be read. */
function rssParts(pid: number): { rss: number; anon: number; file: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return null;
  }
}

/** The probe's line from a process's stderr, once SIGUSR2 has been sent; null after 10 s. */
function heapProbe(proc: ChildProcess): Promise<{ heapUsed: number; heapTotal: number } | null> {
  return new Promise((resolveProbe) => {
    const lines = createInterface({ input: proc.stderr as NodeJS.ReadableStream });
    const timer = setTimeout(() => {
      lines.close();
      resolveProbe(null);
    }, 10_000);
    lines.on('line', (text) => {
      if (!text.startsWith(HEAP_PROBE_TAG)) return;
      clearTimeout(timer);
      lines.close();
      resolveProbe(
        JSON.parse(text.slice(HEAP_PROBE_TAG.length + 1)) as { heapUsed: number; heapTotal: number },
      );
    });
    proc.kill('SIGUSR2');
  });
}

/** Idle RSS (median of the samples, with its anon/file split), then the probe's heap after GC. */
async function idleMemory(
  proc: ChildProcess,
  pid: number,
): Promise<Pick<MemoryRun, 'idleRss' | 'rssAnon' | 'rssFile' | 'heapUsedAfterGc' | 'heapTotalAfterGc'>> {
  await sleep(IDLE_WAIT_MS);
  const samples: { rss: number; anon: number; file: number }[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    const parts = rssParts(pid);
    if (parts !== null) samples.push(parts);
    await sleep(IDLE_SAMPLE_EVERY_MS);
  }
  const heap = await heapProbe(proc);
  return {
    idleRss: median(samples.map((s) => s.rss)),
    rssAnon: median(samples.map((s) => s.anon)),
    rssFile: median(samples.map((s) => s.file)),
    heapUsedAfterGc: heap?.heapUsed ?? Number.NaN,
    heapTotalAfterGc: heap?.heapTotal ?? Number.NaN,
  };
}

/** One start of the server in `variant`'s configuration, against the fakes, SQLite in a temp folder. */
async function serverMemoryRun(variant: MemoryVariant, landscape: string): Promise<MemoryRun> {
  const slack = await startFakeSlack();
  const discord = await startFakeDiscord();
  const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-footprint-'));
  const port = await freePort();
  const healthPort = await freePort();
  // Without ORCH_LANDSCAPE_FILE the server looks for landscape.json in its (empty) data folder: no landscape.
  const child = spawnServer(
    variant.mode,
    {
      ...(variant.slack ? slackEnv(slack, port, healthPort) : { ORCH_HEALTH_PORT: String(healthPort) }),
      ...(variant.discord
        ? {
            DISCORD_TOKEN: 'bench.discord.token',
            DISCORD_APPLICATION_ID: discord.applicationId,
            DISCORD_API_URL: discord.apiUrl,
          }
        : {}),
      NODE_ENV: 'production',
      ORCH_DATA_DIR: scratch,
      ...(variant.landscape ? { ORCH_LANDSCAPE_FILE: landscape } : {}),
    },
    HEAP_PROBE_FLAGS,
  );
  try {
    const discordReady = variant.discord ? discord.ready({ timeoutMs: 30_000 }) : Promise.resolve();
    discordReady.catch(() => undefined);
    const readyMs = await readyz(child, healthPort);
    const cpuAtReadyMs = (cpuOf(child.pid) ?? Number.NaN) * 1000;
    await child.ready;
    await discordReady;
    const memory = await idleMemory(child.proc, child.pid);
    const shutdown = await stopServer(child);
    const problems = child.problems.filter((p) => !p.includes(HEAP_PROBE_TAG));
    if (problems.length > 0) console.log(`  ${variant.label}: ${problems.join('\n  ')}`);
    return { variant, readyMs, cpuAtReadyMs, ...memory, shutdown };
  } finally {
    if (child.proc.exitCode === null && child.proc.signalCode === null) await stopServer(child);
    await slack.close();
    await discord.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A bare SDK app (plain node, `flags`, the SDK's path and tokens in `env`, NODE_ENV=production), with spawn to its
 * "bare ready" line in ms (listening for Bolt, after READY for discord.js).
 */
function spawnBare(
  kind: 'bare bolt' | 'bare discord.js' | 'server',
  label: string,
  flags: string[],
  env: Record<string, string>,
): { proc: ChildProcess; exited: Promise<{ code: number | null; at: number }>; readyMs: Promise<number> } {
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [...flags, '-e', kind === 'bare bolt' ? BARE_BOLT_IDLE : BARE_DISCORD_IDLE],
    {
      cwd: ROOT,
      env: { ...cleanEnv(), NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<{ code: number | null; at: number }>((res) =>
    proc.once('exit', (code) => res({ code, at: performance.now() })),
  );
  const readyMs = new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${label} did not start within 30 s`)), 30_000);
    void exited.then(({ code }) => rej(new Error(`${label} exited (${code})`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'bare ready') {
        clearTimeout(timer);
        res(performance.now() - t0);
      }
    });
  });
  readyMs.catch(() => undefined);
  return { proc, exited, readyMs };
}

/**
 * Spawn to listening of a bare Bolt app started as \`npm run start:slack\` starts the server (its Node flags, in
 * production), against a fake Slack: what any Bolt app costs to start on this machine, for the start table's scale.
 */
async function bareBoltReadyRuns(runs: number): Promise<number[]> {
  const ready: number[] = [];
  const resolveSdk = createRequire(join(ROOT, 'package.json')).resolve;
  for (let i = 0; i < runs; i++) {
    const slack = await startFakeSlack();
    const port = await freePort();
    const { proc, exited, readyMs } = spawnBare('bare bolt', 'bare Bolt app', README_FLAGS, {
      BOLT_PATH: resolveSdk('@slack/bolt'),
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
    });
    try {
      ready.push(await readyMs);
    } finally {
      proc.kill('SIGKILL');
      await exited;
      await slack.close();
    }
  }
  return ready;
}

/** One start of a bare SDK app against its fake. */
async function bareMemoryRun(variant: MemoryVariant): Promise<MemoryRun> {
  const slack = await startFakeSlack();
  const discord = await startFakeDiscord();
  const port = await freePort();
  const resolveSdk = createRequire(join(ROOT, 'package.json')).resolve;
  const {
    proc,
    exited,
    readyMs: ready,
  } = spawnBare(variant.kind, variant.label, [...IMAGE_NODE_FLAGS, ...HEAP_PROBE_FLAGS], {
    ...IMAGE_ENV,
    BOLT_PATH: resolveSdk('@slack/bolt'),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    DISCORD_PATH: resolveSdk('discord.js'),
    DISCORD_TOKEN: 'bench.discord.token',
    DISCORD_API_URL: discord.apiUrl,
  });
  try {
    const pid = proc.pid as number;
    const readyMs = await ready;
    const cpuAtReadyMs = (cpuOf(pid) ?? Number.NaN) * 1000;
    const memory = await idleMemory(proc, pid);
    const stop0 = performance.now();
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const { code, at } = await exited;
    clearTimeout(timer);
    return { variant, readyMs, cpuAtReadyMs, ...memory, shutdown: { code, ms: at - stop0 } };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await slack.close();
    await discord.close();
  }
}

// The breakdown: the server's parts loaded in the order the server loads them, in one plain-node process (the
// image's flags, --expose-gc), two full collections after each, printing the process's RSS and heap as it grows.
// Cumulative and order-dependent: a module loaded first also pays for what the modules after it share with it.
const BREAKDOWN = `
const { mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const dist = (path) => import(join(process.env.ROOT, 'dist', path));
const keep = [];
const mark = (step) => {
  gc(); gc();
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ step, rss: m.rss, heapUsed: m.heapUsed }) + '\\n');
};
mark('node itself');
const core = await dist('src/index.js');
await dist('adapters/server/main.js');
mark('orch core and server modules (dist/src, dist/adapters/server)');
keep.push(await dist('adapters/slack/platform.js'));
mark('+ Slack adapter and @slack/bolt');
keep.push(await dist('adapters/discord/platform.js'));
mark('+ Discord adapter and discord.js');
const env = { ORCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'orch-bench-breakdown-')), SLACK_BOT_TOKEN: 'xoxb-b', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'http' };
if (process.env.LANDSCAPE) env.ORCH_LANDSCAPE_FILE = process.env.LANDSCAPE;
const loaded = core.loadConfig(env, process.env.ROOT);
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const { loadConfiguredCatalog } = await dist('src/catalog/sources.js');
const catalog = await loadConfiguredCatalog(loaded.config);
if (!catalog.ok) throw new Error('the catalog did not load');
keep.push(catalog);
mark('+ catalog objects (' + catalog.catalog.tools.length + ' tools)');
const { QueryEngine } = await dist('src/query/engine.js');
const engine = new QueryEngine(catalog.catalog);
await engine.warmUp(async () => undefined); // as the server a moment after ready
keep.push(engine);
mark('+ query indexes');
const { openStore } = await dist('src/store/open-store.js');
keep.push(await openStore({ databaseUrl: loaded.config.databaseUrl, sqlitePath: loaded.config.sqlitePath }));
mark('+ SQLite store');
const descriptions = catalog.catalog.tools.filter((t) => t.source === 'landscape' && t.description);
process.stdout.write(JSON.stringify({ descriptions: descriptions.length, descriptionChars: descriptions.reduce((n, t) => n + t.description.length, 0) }) + '\\n');
`;

/** The breakdown's rows, without and with the landscape: [step, rss, heap used] each. */
function breakdownRows(landscape: string | null): {
  rows: { step: string; rss: number; heapUsed: number }[];
  descriptions: { descriptions: number; descriptionChars: number } | null;
} {
  const run = spawnSync(
    process.execPath,
    [...IMAGE_NODE_FLAGS, '--expose-gc', '--input-type=module', '-e', BREAKDOWN],
    {
      cwd: ROOT,
      env: {
        ...cleanEnv(),
        ...IMAGE_ENV,
        ROOT,
        NODE_ENV: 'production',
        ...(landscape ? { LANDSCAPE: landscape } : {}),
      },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`the breakdown failed:\n${run.stdout}${run.stderr}`);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    rows: lines.filter((l) => 'step' in l) as { step: string; rss: number; heapUsed: number }[],
    descriptions:
      (lines.find((l) => 'descriptions' in l) as { descriptions: number; descriptionChars: number }) ?? null,
  };
}

/** A copy of catalog/ where no snapshot can be written (a file sits where its folder would be): always the YAML. */
function yamlOnlyCatalog(scratch: string): string {
  const dir = join(scratch, 'catalog-yaml');
  cpSync(join(ROOT, 'catalog'), dir, {
    recursive: true,
    filter: (source) => basename(source) !== '.compiled',
  });
  writeFileSync(join(dir, '.compiled'), 'the footprint bench: this copy is always parsed from YAML\n');
  return dir;
}

/** `orch catalog check --write` from dist/, so the dist runs find a fresh snapshot of catalog/. */
function compileSnapshot(): string {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/adapters/console/start.js'), 'catalog', 'check', '--write', join(ROOT, 'catalog')],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`orch catalog check --write failed:\n${run.stdout}${run.stderr}`);
  return run.stdout.trim().split('\n').at(-1) ?? '';
}

/** One way of running `orch ask istio` from a cold process. */
interface AskVariant {
  label: string;
  command: string[];
  catalog: 'snapshot' | 'yaml';
  /** What its output must contain. */
  expect: string;
}

const ASK_VARIANTS: AskVariant[] = [
  {
    label: "npx orch ask istio (the README's command)",
    command: ['npx', 'orch', 'ask', 'istio'],
    catalog: 'snapshot',
    expect: 'Istio',
  },
  {
    label: 'node adapters/console/bin.mjs ask istio (the bin npx runs: dist/, snapshot)',
    command: [process.execPath, join(ROOT, 'adapters/console/bin.mjs'), 'ask', 'istio'],
    catalog: 'snapshot',
    expect: 'Istio',
  },
  {
    label: 'node --import tsx adapters/console/start.ts ask istio (old path: tsx, YAML)',
    command: [process.execPath, '--import', 'tsx', join(ROOT, 'adapters/console/start.ts'), 'ask', 'istio'],
    catalog: 'yaml',
    expect: 'Istio',
  },
  // The floor on this machine now: Node starting and exiting (about 40 ms on a quiet one).
  {
    label: 'node -e 0 (Node alone, for scale)',
    command: [process.execPath, '-e', '0'],
    catalog: 'snapshot',
    expect: '',
  },
];

/** CPU time (user + system) of this process's children that have ended, in ms (Linux /proc: cutime + cstime). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Spawn to exit of each run (after one untimed run that creates the data folder's store), and the CPU time each run
 * used (npx's included), in ms.
 */
function askRuns(variant: AskVariant, runs: number, yamlCatalog: string): { times: number[]; cpu: number[] } {
  const data = mkdtempSync(join(tmpdir(), 'orch-bench-ask-'));
  const env = {
    ...cleanEnv(),
    ORCH_DATA_DIR: data,
    ...(variant.catalog === 'yaml' ? { ORCH_CATALOG_DIR: yamlCatalog } : {}),
  };
  try {
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const cpu0 = childrenCpuMs();
      const t0 = performance.now();
      const [command, ...args] = variant.command as [string, ...string[]];
      const run = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (run.status !== 0 || !run.stdout.includes(variant.expect))
        throw new Error(`${variant.label} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
      if (i > 0) {
        times.push(ms);
        cpu.push(childrenCpuMs() - cpu0);
      }
    }
    return { times, cpu };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

// What a member asks first, right after /readyz says 200: a name (answered from the name index) and a question
// (the free-text indexes, which the server builds just after it is ready: QueryEngine.warmUp).
const FIRST_NAME = 'istio';
const FIRST_QUESTION = 'provision cloud resources from kubernetes';

/** Spawn to the answer of a /orch command sent now, read from the fake's response_url log; NaN after 10 s. */
async function firstAnswer(
  slack: FakeSlack,
  port: number,
  child: ServerChild,
  text: string,
  id: string,
): Promise<number> {
  const agent = new Agent({ keepAlive: false });
  const body = slashCommandBody({ text, response_url: slack.responseUrl(id) });
  await send(new URL(`http://127.0.0.1:${port}/slack/events`), agent, body);
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (slack.responses.some((r) => r.id === id)) return performance.now() - child.spawnedAt;
    await sleep(1);
  }
  return Number.NaN;
}

/**
 * `npm run start:slack` as the issue measured it (Slack only, HTTP mode, so no Discord handshake): spawn to /readyz
 * 200 and the CPU time used by then, then spawn to the answers of a name and of a question sent at once after ready,
 * for each run of one variant, in ms.
 */
async function slackReadyRuns(
  variant: FootprintVariant,
  runs: number,
  landscape: string,
  yamlCatalog: string,
): Promise<{ ready: number[]; cpu: number[]; name: number[]; question: number[] }> {
  const ready: number[] = [];
  const cpu: number[] = [];
  const name: number[] = [];
  const question: number[] = [];
  for (let i = 0; i < runs; i++) {
    const slack = await startFakeSlack();
    const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-ready-'));
    const port = await freePort();
    const healthPort = await freePort();
    const child = spawnServer(
      { ...variant.mode, args: [...variant.mode.args, 'slack'] },
      {
        ...slackEnv(slack, port, healthPort),
        ORCH_DATA_DIR: scratch,
        ...(variant.landscape ? { ORCH_LANDSCAPE_FILE: landscape } : {}),
        ...(variant.catalog === 'yaml' ? { ORCH_CATALOG_DIR: yamlCatalog } : {}),
      },
    );
    try {
      ready.push(await readyz(child, healthPort));
      cpu.push((cpuOf(child.pid) ?? Number.NaN) * 1000);
      const [toName, toQuestion] = await Promise.all([
        firstAnswer(slack, port, child, FIRST_NAME, 'first-name'),
        firstAnswer(slack, port, child, FIRST_QUESTION, 'first-question'),
      ]);
      name.push(toName);
      question.push(toQuestion);
      await stopServer(child);
    } finally {
      if (child.proc.exitCode === null && child.proc.signalCode === null) await stopServer(child);
      await slack.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { ready, cpu, name, question };
}

/**
 * The start tables: \`npm run start:slack\` to ready and to its first answers (with a bare Bolt app started the same
 * way beside it, for the machine's scale), then cold \`orch ask istio\` runs; and issue 15's start targets.
 */
async function startTables(
  runs: number,
  askRunCount: number,
  landscape: string,
  yamlCatalog: string,
  load: () => string,
): Promise<void> {
  const readyRunCount = Math.max(3, runs + 2);
  console.log(
    `\nnpm run start:slack (Slack only, HTTP mode, as issue 15 measured it): ${readyRunCount} runs each, spawn to /readyz 200;` +
      ` then, sent together the moment it said 200, spawn to the answer of \`/orch ${FIRST_NAME}\` (a name) and of` +
      ` \`/orch ${FIRST_QUESTION}\` (a question: the free-text indexes are built just after ready)`,
  );
  const slackRows: string[][] = [];
  const slackReady = new Map<FootprintVariant, number>();
  for (const variant of READY_VARIANTS) {
    const { ready, cpu, name, question } = await slackReadyRuns(
      variant,
      readyRunCount,
      landscape,
      yamlCatalog,
    );
    slackReady.set(variant, median(ready));
    slackRows.push([
      variant.label,
      msText(median(ready)),
      msText(Math.min(...ready)),
      msText(Math.max(...ready)),
      msText(median(cpu)),
      msText(median(name)),
      msText(median(question)),
    ]);
  }
  const bareReady = await bareBoltReadyRuns(readyRunCount);
  const bareBoltReady = median(bareReady);
  slackRows.push([
    'bare Bolt app (same flags, HTTP, convoStore: false), to listening',
    msText(bareBoltReady),
    msText(Math.min(...bareReady)),
    msText(Math.max(...bareReady)),
    '',
    '(acks only)',
    '',
  ]);
  console.log(
    table(
      [
        'server, Slack only',
        'ready median',
        'min',
        'max',
        'cpu at ready (median)',
        'first answer: a name (median)',
        'a question (median)',
      ],
      slackRows,
    ),
  );

  console.log(`\ncold \`orch ask istio\`: ${askRunCount} runs each after one untimed run, spawn to exit`);
  const askRows: string[][] = [];
  const askMedians = new Map<AskVariant, number>();
  for (const variant of ASK_VARIANTS) {
    const { times, cpu } = askRuns(variant, askRunCount, yamlCatalog);
    askMedians.set(variant, median(times));
    askRows.push([
      variant.label,
      msText(median(times)),
      msText(Math.min(...times)),
      msText(Math.max(...times)),
      msText(median(cpu)),
    ]);
  }
  console.log(table(['command', 'median', 'min', 'max', 'cpu (median)'], askRows));

  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const [npx, bin] = ASK_VARIANTS.map((v) => askMedians.get(v) ?? 0) as [number, number];
  const [bare0, withLandscape] = READY_VARIANTS.map((v) => slackReady.get(v) ?? 0) as [number, number];
  console.log(
    `targets (issue 15, medians): orch ask istio <= ${TARGET_ASK_MS} ms: bin ${pass(bin <= TARGET_ASK_MS)} (${msText(bin)}),` +
      ` npx ${pass(npx <= TARGET_ASK_MS)} (${msText(npx)}; npx itself starts npm first);` +
      ` start:slack ready without the landscape <= ${TARGET_READY_BARE_MS} ms ${pass(bare0 <= TARGET_READY_BARE_MS)} (${msText(bare0)});` +
      ` with it <= ${TARGET_READY_LANDSCAPE_MS} ms ${pass(withLandscape <= TARGET_READY_LANDSCAPE_MS)} (${msText(withLandscape)});` +
      ` a bare Bolt app on this machine ${msText(bareBoltReady)}\n  ${load()}`,
  );
}

export async function benchFootprint(argv: readonly string[]): Promise<void> {
  const runs = Math.max(1, Math.floor(numberOption(argv, 'runs', 3)));
  const askRunCount = Math.max(1, Math.floor(numberOption(argv, 'ask-runs', 7)));
  const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-landscape-'));
  const load = () =>
    `load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')} on ${cpus().length} cores`;
  try {
    console.log(`\nfootprint: ${load()} at the start (above 2, the figures below are only indicative)`);
    const built = ensureDist();
    const compiled = compileSnapshot();
    const landscape = landscapeFile(scratch);
    const yamlCatalog = yamlOnlyCatalog(scratch);
    console.log(
      `idle memory: the built server with Slack (HTTP mode, fake Slack) and/or Discord (fake gateway, READY), with or` +
        ` without the full landscape (${landscapeItems(landscape)} items from ${landscape}), SQLite in a temp folder;` +
        ` a bare Bolt app and a bare discord.js client for scale; ${runs} runs per process, taking turns.` +
        ` idle rss = median of ${IDLE_SAMPLES} samples over ${(IDLE_SAMPLES * IDLE_SAMPLE_EVERY_MS) / 1000} s, starting` +
        ` ${IDLE_WAIT_MS / 1000} s after ready; heap after GC = the bench's probe (SIGUSR2: two full collections) after them` +
        `\n  ${built}; ${compiled}${addedFlags()}\n  ${machine()}`,
    );
    // --idle-only: the target's processes and the breakdown, nothing else (a quick look while changing what loads).
    // --start-only: the start:slack table and the cold asks, nothing else (a quick look while changing the start).
    const idleOnly = argv.includes('--idle-only');
    const startOnly = argv.includes('--start-only');
    if (startOnly) {
      await startTables(runs, askRunCount, landscape, yamlCatalog, load);
      return;
    }
    const measured = idleOnly ? MEMORY_VARIANTS.filter((v) => v.target) : MEMORY_VARIANTS;
    const results: MemoryRun[] = [];
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? measured : [...measured].reverse();
      for (const variant of order)
        results.push(
          variant.kind === 'server'
            ? await serverMemoryRun(variant, landscape)
            : await bareMemoryRun(variant),
        );
    }
    console.log(
      [...new Set(MEMORY_VARIANTS.map((v) => v.mode))]
        .map(
          (mode) =>
            `  ${mode === MODES.dist ? 'image' : mode === README_MODE ? 'README' : 'plain'}: ${mode.command}`,
        )
        .join('\n'),
    );
    const idleOf = (variant: MemoryVariant) =>
      median(results.filter((r) => r.variant === variant).map((r) => r.idleRss)) / MB;
    const rows: string[][] = [];
    for (const variant of measured) {
      const mine = results.filter((r) => r.variant === variant);
      const cell = (f: (r: MemoryRun) => number, text: (v: number) => string) =>
        `${text(median(mine.map(f)))} (max ${text(Math.max(...mine.map(f)))})`;
      const ms = (v: number) => v.toFixed(0);
      const mb = (v: number) => (v / MB).toFixed(1);
      rows.push([
        variant.label,
        cell((r) => r.readyMs, ms),
        ms(median(mine.map((r) => r.cpuAtReadyMs))),
        cell((r) => r.idleRss, mb),
        `${mb(median(mine.map((r) => r.rssAnon)))} / ${mb(median(mine.map((r) => r.rssFile)))}`,
        `${mb(median(mine.map((r) => r.heapUsedAfterGc)))} / ${mb(median(mine.map((r) => r.heapTotalAfterGc)))}`,
        `${mine.map((r) => r.shutdown.code).join('/')} in ${ms(Math.max(...mine.map((r) => r.shutdown.ms)))} ms`,
      ]);
    }
    console.log(
      table(
        [
          'process (medians of runs)',
          'spawn->ready ms',
          'cpu at ready ms',
          'idle rss MB',
          'anon / file MB',
          'heap used / total after GC MB',
          'SIGTERM exit',
        ],
        rows,
      ),
    );
    if (idleOnly) {
      for (const variant of measured)
        console.log(
          `  ${variant.label}, each run: idle rss ${results
            .filter((r) => r.variant === variant)
            .map(
              (r) =>
                `${(r.idleRss / MB).toFixed(1)} (${(r.rssAnon / MB).toFixed(1)}/${(r.rssFile / MB).toFixed(1)})`,
            )
            .join(', ')} MB`,
        );
      console.log(
        `targets (issue 15, both platforms and the landscape): idle rss <= ${TARGET_IDLE_RSS_MB} MB: ${measured
          .map(
            (v) =>
              `${v.label} ${idleOf(v) <= TARGET_IDLE_RSS_MB ? 'PASS' : 'FAIL'} (${idleOf(v).toFixed(1)} MB)`,
          )
          .join(', ')}\n  ${load()} at the end`,
      );
    }
    const [slackOnly, discordOnly, both, bothLandscape, readme, bareBolt, bareDiscord] = MEMORY_VARIANTS.map(
      idleOf,
    ) as number[] as [number, number, number, number, number, number, number];
    if (!idleOnly)
      console.log(
        `  over the bare SDK apps: Slack only +${(slackOnly - bareBolt).toFixed(1)} MB over bare Bolt,` +
          ` Discord only +${(discordOnly - bareDiscord).toFixed(1)} MB over bare discord.js;` +
          ` the landscape +${(bothLandscape - both).toFixed(1)} MB (both platforms)`,
      );

    console.log(
      `\nbreakdown: the server's parts loaded in order in one plain-node process (${imageEnvText}node ${IMAGE_NODE_FLAGS.join(' ')} --expose-gc),` +
        ` two full collections after each; cumulative, and order-dependent (a module pays for what later ones share)`,
    );
    const bare = breakdownRows(null);
    const full = breakdownRows(landscape);
    const steps: string[][] = [];
    let previous: { rss: number; heapUsed: number } | null = null;
    for (const [i, row] of full.rows.entries()) {
      const without = bare.rows[i];
      const step = row.step.replace(
        /\(\d+ tools\)/,
        `(${without ? /\d+/.exec(without.step)?.[0] : '?'} / ${/\d+/.exec(row.step)?.[0] ?? '?'} tools)`,
      );
      steps.push([
        step,
        without ? `${(without.rss / MB).toFixed(1)} / ${(without.heapUsed / MB).toFixed(1)}` : '?',
        `${(row.rss / MB).toFixed(1)} / ${(row.heapUsed / MB).toFixed(1)}`,
        previous
          ? `+${((row.rss - previous.rss) / MB).toFixed(1)} / +${((row.heapUsed - previous.heapUsed) / MB).toFixed(1)}`
          : '',
      ]);
      previous = row;
    }
    console.log(
      table(
        [
          'step',
          'no landscape: rss / heap MB',
          'landscape: rss / heap MB',
          'step with landscape: rss / heap MB',
        ],
        steps,
      ),
    );
    if (full.descriptions)
      console.log(
        `  landscape descriptions: ${full.descriptions.descriptions} items have one, ${(full.descriptions.descriptionChars / 1024).toFixed(0)} K characters in all,` +
          ' held once (the catalog objects); the text index keeps their English stems, not the text',
      );

    if (idleOnly) return;

    await startTables(runs, askRunCount, landscape, yamlCatalog, load);
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const readyOf = (variant: MemoryVariant) =>
      median(results.filter((r) => r.variant === variant).map((r) => r.readyMs));
    const targets = MEMORY_VARIANTS.filter((v) => v.target);
    console.log(
      `targets (issue 15, both platforms and the landscape): idle rss <= ${TARGET_IDLE_RSS_MB} MB: ${targets
        .map((v) => `${v.label} ${pass(idleOf(v) <= TARGET_IDLE_RSS_MB)} (${idleOf(v).toFixed(1)} MB)`)
        .join(', ')};` +
        ` start to ready <= ${TARGET_READY_MS} ms: ${targets
          .map((v) => `${v.label} ${pass(readyOf(v) <= TARGET_READY_MS)} (${msText(readyOf(v))})`)
          .join(', ')}` +
        ` (bare Bolt ${bareBolt.toFixed(1)} MB, bare discord.js ${bareDiscord.toFixed(1)} MB; npm run serve ${readme.toFixed(1)} MB)` +
        `\n  ${load()} at the end: figures taken at a load average above 2 are only indicative`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
