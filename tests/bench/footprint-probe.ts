// Idle footprint and start-up time of a server-shaped process (issue 7: idle RSS <= 150 MB with both adapters and
// the full landscape loaded; process start to ready <= 1.5 s). Each measurement runs in a fresh Node process that
// loads what the server does: the core, the configured catalog with the landscape snapshot, a SQLite store in a temp
// folder, the bot and the lesson scheduler, Bolt's App and discord.js's Client (constructed, never connected). Then
// it forces a full GC and reports RSS, heap and external memory and the time from process start to ready.
//
//   node --import tsx tests/bench/footprint-probe.ts [tsx] [tsx-cold] [dist] [--runs N] [--steps] [--snapshot]
//
// tsx:      `node --import tsx` over the TypeScript sources, tsx's transform cache warm (a developer's machine).
// tsx-cold: the same with an empty tsx cache, as in a fresh container that runs the sources through tsx.
// dist:     plain `node` over JavaScript emitted by tsc with tsconfig.build.json (what `npm run build` does),
//           compiled into node_modules/.cache/orch-probe together with this file.
// --steps:  one more run per mode that collects garbage after every step, to show where the memory goes.
// --snapshot: writes a heap snapshot of the idle dist process (load it in Chrome DevTools > Memory).
// Environment, for diagnosis: ORCH_PROBE_IDLE_MS (idle time before the "settled" figures, default 1000),
// ORCH_PROBE_NO_GC=1 (no forced GC, as in the server), ORCH_PROBE_TICK_MS (a query every N ms while idling);
// NODE_OPTIONS reaches the children too. The real server is measured by `npm run bench -- footprint`.
//
// The landscape snapshot is ORCH_LANDSCAPE_FILE, else data/landscape.json; when neither exists it is imported once
// from ../shared/data/cncf-landscape.yml into the cache folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const CHILD_FLAG = 'ORCH_PROBE_CHILD';
const RSS_TARGET_MB = 150;
const READY_TARGET_MS = 1500;

/** One step of the start-up, with its time and (in --steps runs) the memory after it, garbage collected. */
interface StepReport {
  name: string;
  ms: number;
  /** Time since process start when the step ended. */
  at: number;
  memory?: MemoryFigures;
}

interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** What a child process reports on stdout, as one JSON line. */
interface ChildReport {
  readyMs: number;
  /** CPU time (user + system, all threads) spent until ready: steadier than wall time on a busy machine. */
  cpuMs: number;
  steps: StepReport[];
  idle: MemoryFigures;
  /** The same figures after idling (1 s, or --idle seconds), before and after another full GC. */
  settledBeforeGc: MemoryFigures;
  settled: MemoryFigures;
  heapSpaces: Record<string, number>;
  mallocedMemory: number;
  tools: number;
  /** Resident memory by mapping (Linux): the node binary's pages, other files, the malloc heap, anonymous maps. */
  mappings?: Record<string, number>;
  snapshot?: string;
}

const MB = 1024 * 1024;

function memory(): MemoryFigures {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

/** Sums the Rss lines of /proc/self/smaps by kind of mapping; undefined where there is no such file. */
function residentByMapping(): Record<string, number> | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return undefined;
  }
  const out: Record<string, number> = {};
  let kind = 'anonymous';
  for (const line of text.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const path = mapping[1] ?? '';
      if (path === '') kind = 'anonymous (V8 heap, malloc arenas, stacks)';
      else if (path === process.execPath || path.endsWith('/bin/node')) kind = 'node binary';
      else if (path === '[heap]') kind = 'malloc main arena';
      else if (path.endsWith('.node')) kind = 'native addons';
      else if (path.startsWith('/')) kind = 'shared libraries and files';
      else kind = 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] = (out[kind] ?? 0) + Number(rss[1]) * 1024;
  }
  return out;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  gc();
  gc();
}

// ---------------------------------------------------------------------------------------------------------------
// The child: one server-shaped start-up.

async function child(): Promise<void> {
  const perStep = process.env.ORCH_PROBE_STEPS === '1';
  const root = process.env.ORCH_PROBE_ROOT as string;
  const steps: StepReport[] = [];
  const step = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const value = await run();
    const at = performance.now();
    const report: StepReport = { name, ms: at - t0, at };
    if (perStep) {
      collect();
      report.memory = memory();
    }
    steps.push(report);
    return value;
  };
  if (perStep) {
    collect();
    steps.push({ name: 'node + probe', ms: performance.now(), at: performance.now(), memory: memory() });
  }

  const core = await step('import core (src/index)', () => import('../../src/index.ts'));
  const dataDir = mkdtempSync(join(tmpdir(), 'orch-probe-'));
  const env = {
    ORCH_CATALOG_DIR: join(root, 'catalog'),
    ORCH_DATA_DIR: dataDir,
    ORCH_LANDSCAPE_FILE: process.env.ORCH_LANDSCAPE_FILE,
  };
  // As the server: Prometheus metrics (with the default process metrics) and the pino logger, lines dropped here.
  const { metrics, logger } = await step('ops: prom-client metrics, pino logger', () => ({
    metrics: core.createPrometheusMetrics(),
    logger: core.createPinoLogger({ level: 'info', destination: { write: () => undefined } }),
  }));
  const loaded = core.loadConfig(env, root);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const { config } = loaded;
  const catalog = await step('catalog + landscape', async () => {
    const result = await core.loadConfiguredCatalog(config);
    if (!result.ok) throw new Error(result.problems.map(core.formatProblem).join('\n'));
    return result.catalog;
  });
  const store = await step('SQLite store', () =>
    core.openStore({ databaseUrl: undefined, sqlitePath: config.sqlitePath }),
  );
  const poster = { post: async () => ({ messageId: 'probe' }) };
  const bot = await step('bot (query engine, question bank)', () =>
    core.createBot({
      catalog,
      store,
      poster,
      logger,
      metrics,
      defaultLang: config.defaultLang,
      defaultTimeZone: config.defaultTimeZone,
    }),
  );
  const scheduler = await step('lesson scheduler, quiz resume', async () => {
    const s = new core.LessonScheduler({
      store,
      catalog,
      poster,
      clock: core.systemClock,
      logger,
      metrics,
      instanceId: `probe-${process.pid}`,
      defaultLang: config.defaultLang,
      graceMs: config.graceMs,
    });
    s.start();
    await bot.quiz.resume();
    return s;
  });
  const slack = await step('@slack/bolt import + App', async () => {
    const { App } = await import('@slack/bolt');
    // As adapters/slack/app.ts builds it in HTTP mode. Token verification is deferred: there is no Slack here.
    return new App({
      token: 'xoxb-probe',
      signingSecret: 'probe-secret',
      tokenVerificationEnabled: false,
      clientOptions: { retryConfig: { retries: 5, factor: 2, minTimeout: 1000 } },
    });
  });
  const discord = await step('discord.js import + Client', async () => {
    const { Client, GatewayIntentBits } = await import('discord.js');
    return new Client({ intents: [GatewayIntentBits.Guilds], allowedMentions: { parse: [] } });
  });
  // One answer proves the engine is usable; what it costs stays in the idle figures, as in the server.
  if (bot.engine.answer('isito').toolIds[0] !== 'istio') throw new Error('the engine is not answering');
  const readyMs = performance.now();
  const cpu = process.cpuUsage();
  process.stdout.write('ready\n');

  // ORCH_PROBE_NO_GC=1 leaves collection to V8, as in the server (no --expose-gc): `idle` is then uncollected.
  const forced = process.env.ORCH_PROBE_NO_GC !== '1';
  if (forced) collect();
  const idle = memory();
  // ORCH_PROBE_TICK_MS: light periodic work while idling (a health probe, a scheduler tick), in place of none.
  const tickMs = Number(process.env.ORCH_PROBE_TICK_MS ?? 0);
  const ticker =
    tickMs > 0 ? setInterval(() => bot.engine.answer(`probe ${Math.random()}`), tickMs) : undefined;
  // V8's memory reducer shrinks the young generation and returns free pages only after several quiet seconds.
  await new Promise((r) => setTimeout(r, Number(process.env.ORCH_PROBE_IDLE_MS ?? 1000)));
  clearInterval(ticker);
  const settledBeforeGc = memory();
  if (forced) collect();
  const settled = memory();
  const heapSpaces: Record<string, number> = {};
  for (const space of getHeapSpaceStatistics()) heapSpaces[space.space_name] = space.space_used_size;
  const mappings = residentByMapping();
  let snapshot: string | undefined;
  if (process.env.ORCH_PROBE_SNAPSHOT) snapshot = writeHeapSnapshot(process.env.ORCH_PROBE_SNAPSHOT);
  const report: ChildReport = {
    readyMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    steps,
    idle,
    settledBeforeGc,
    settled,
    heapSpaces,
    mallocedMemory: getHeapStatistics().malloced_memory,
    tools: catalog.tools.length,
    ...(mappings ? { mappings } : {}),
    ...(snapshot ? { snapshot } : {}),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // Keep the objects alive until the figures are taken, then shut down the way the server would.
  void slack;
  discord.destroy();
  await scheduler.stop();
  bot.quiz.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: builds what each mode needs, runs the children, prints the figures.

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'orch-probe');

interface Mode {
  name: string;
  command: string[];
  env?: Record<string, string>;
  cleanup?: () => void;
}

/** Compiles src, adapters and this file with tsconfig.build.json's settings into the cache folder. */
function buildDist(): string {
  mkdirSync(CACHE, { recursive: true });
  const tsconfig = join(CACHE, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(CACHE, 'dist'), rootDir: ROOT },
      include: [join(ROOT, 'src'), join(ROOT, 'adapters'), fileURLToPath(import.meta.url)],
    }),
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: ['ignore', 'ignore', 'inherit'] });
  const probe = join(CACHE, 'dist', relative(ROOT, fileURLToPath(import.meta.url)).replace(/\.ts$/, '.js'));
  // tsc emits despite type errors (noEmitOnError is off), as `npm run build` would: measure what was emitted.
  if (run.status !== 0 && !existsSync(probe)) throw new Error('tsc -p tsconfig.build.json emitted nothing');
  if (run.status !== 0) console.warn('warning: tsc reported type errors; measuring what it emitted');
  return probe;
}

function landscapeFile(): string {
  const named = process.env.ORCH_LANDSCAPE_FILE;
  if (named) return resolve(named);
  const local = join(ROOT, 'data', 'landscape.json');
  if (existsSync(local)) return local;
  const cached = join(CACHE, 'landscape.json');
  if (!existsSync(cached)) {
    const source = resolve(ROOT, '../shared/data/cncf-landscape.yml');
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'adapters/console/bin.mjs'), 'catalog', 'import-landscape', source],
      { cwd: ROOT, env: { ...process.env, ORCH_DATA_DIR: CACHE }, stdio: 'inherit' },
    );
    if (run.status !== 0) throw new Error(`cannot import the landscape from ${source}`);
  }
  return cached;
}

interface RunResult {
  report: ChildReport;
  /** Spawn to the child's "ready" line, as the parent saw it. */
  observedMs: number;
}

function runChild(mode: Mode, extraEnv: Record<string, string>): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const [command, ...args] = mode.command as [string, ...string[]];
    const started = performance.now();
    const proc = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...mode.env, ...extraEnv, [CHILD_FLAG]: '1', ORCH_PROBE_ROOT: ROOT },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let observedMs = 0;
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      if (observedMs === 0 && `${out}${chunk}`.includes('ready\n')) observedMs = performance.now() - started;
      out += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`${mode.name}: child exited ${code}\n${out}`));
      else resolvePromise({ report: JSON.parse(line) as ChildReport, observedMs });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

async function parent(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');
  const wanted = names.length > 0 ? names : ['tsx', 'tsx-cold', 'dist'];
  const landscape = landscapeFile();
  const probe = fileURLToPath(import.meta.url);
  const tsx = [process.execPath, '--expose-gc', '--import', 'tsx', probe];
  const modes: Mode[] = [];
  for (const name of wanted) {
    if (name === 'tsx') modes.push({ name, command: tsx });
    else if (name === 'tsx-cold') {
      // tsx caches transformed files under the temp folder; a new temp folder per run starts it empty.
      const dir = mkdtempSync(join(tmpdir(), 'orch-probe-tsx-'));
      modes.push({
        name,
        command: tsx,
        env: { TMPDIR: dir },
        cleanup: () => rmSync(dir, { recursive: true }),
      });
    } else if (name === 'dist') modes.push({ name, command: [process.execPath, '--expose-gc', buildDist()] });
    else throw new Error(`unknown mode "${name}": tsx, tsx-cold or dist`);
  }
  const warm = modes.find((m) => m.name === 'tsx');
  if (warm) await runChild(warm, { ORCH_LANDSCAPE_FILE: landscape }); // fills tsx's transform cache

  console.log(`footprint probe: ${runs} runs per mode, Node ${process.version}, landscape ${landscape}\n`);
  const rows: string[][] = [];
  for (const mode of modes) {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      if (mode.name === 'tsx-cold') {
        mode.cleanup?.();
        mkdirSync(mode.env?.TMPDIR as string, { recursive: true });
      }
      results.push(await runChild(mode, { ORCH_LANDSCAPE_FILE: landscape }));
    }
    const pick = (f: (r: RunResult) => number) => median(results.map(f));
    const worst = (f: (r: RunResult) => number) => Math.max(...results.map(f));
    rows.push([
      mode.name,
      `${mb(pick((r) => r.report.idle.rss))} (max ${mb(worst((r) => r.report.idle.rss))})`,
      mb(pick((r) => r.report.settled.rss)),
      mb(pick((r) => r.report.idle.heapUsed)),
      mb(pick((r) => r.report.idle.heapTotal)),
      mb(pick((r) => r.report.idle.external)),
      `${pick((r) => r.report.readyMs).toFixed(0)} (max ${worst((r) => r.report.readyMs).toFixed(0)})`,
      pick((r) => r.observedMs).toFixed(0),
      pick((r) => r.report.cpuMs).toFixed(0),
    ]);
    const first = results[0]?.report;
    if (first) {
      const timing = first.steps.map((s) => `${s.name} ${s.ms.toFixed(0)}`).join(', ');
      console.log(`${mode.name}: ${first.tools} tools; step ms (run 1): ${timing}`);
      if (first.mappings) {
        const resident = Object.entries(first.mappings)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${mb(v)}`)
          .join(', ');
        console.log(`  resident MB by mapping (run 1, after the settle GC): ${resident}`);
      }
    }
    if (argv.includes('--steps')) {
      const { report } = await runChild(mode, { ORCH_LANDSCAPE_FILE: landscape, ORCH_PROBE_STEPS: '1' });
      console.log(`${mode.name} --steps (GC after each step; MB are deltas to the step before):`);
      let previous: MemoryFigures | undefined;
      for (const s of report.steps) {
        const m = s.memory as MemoryFigures;
        const delta = (k: keyof MemoryFigures) => (previous ? `+${mb(m[k] - previous[k])}` : mb(m[k]));
        console.log(
          `  ${s.name.padEnd(36)} ${s.ms.toFixed(0).padStart(5)} ms  rss ${delta('rss').padStart(6)}` +
            `  heap ${delta('heapUsed').padStart(6)}  heapTotal ${delta('heapTotal').padStart(6)}` +
            `  external ${delta('external').padStart(6)}`,
        );
        previous = m;
      }
      const spaces = Object.entries(report.heapSpaces)
        .map(([k, v]) => `${k.replace(/_space$/, '')} ${mb(v)}`)
        .join(', ');
      console.log(`  heap spaces at idle: ${spaces}; malloced ${mb(report.mallocedMemory)}`);
    }
    mode.cleanup?.();
  }
  if (argv.includes('--snapshot')) {
    const dist = modes.find((m) => m.name === 'dist') ?? {
      name: 'dist',
      command: [process.execPath, '--expose-gc', buildDist()],
    };
    const file = join(CACHE, `idle-${Date.now()}.heapsnapshot`);
    const { report } = await runChild(dist, { ORCH_LANDSCAPE_FILE: landscape, ORCH_PROBE_SNAPSHOT: file });
    console.log(`heap snapshot of the idle dist process: ${report.snapshot}`);
  }

  const header = [
    'mode',
    'idle rss MB',
    'rss +1 s',
    'heapUsed',
    'heapTotal',
    'external',
    'ready ms',
    'spawn->ready',
    'cpu ms',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
  );
  console.log(
    `\ntargets: idle rss <= ${RSS_TARGET_MB} MB, process start to ready <= ${READY_TARGET_MS} ms (medians of ${runs} runs)`,
  );
}

if (process.env[CHILD_FLAG] === '1') await child();
else await parent();
