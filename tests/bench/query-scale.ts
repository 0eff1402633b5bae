// The queries bench's scale curve (issue 15): the engine over the curated catalog plus the CNCF landscape at 1x, 2x,
// 4x and 8x its size, per query kind, so a lookup whose cost grows with the catalog shows up before a catalog does.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { type Catalog, QueryEngine } from '../../src/testing.ts';
import { type Expectation, HELDOUT, isCorrect, QUERIES } from '../helpers/accuracy.ts';
import { benchLandscape, CATALOG_DIR } from '../helpers/catalog.ts';
import { scaledLandscape } from '../helpers/scaled-landscape.ts';

const SCALES = [1, 2, 4, 8];
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 30);

// The accuracy sets' kinds, grouped as the issue names them.
const KINDS: [label: string, kinds: string[]][] = [
  ['name', ['exact', 'alias']],
  ['typo', ['typo']],
  ['korean', ['korean']],
  ['description', ['description', 'advice', 'category']],
  ['not-found', ['nonsense', 'absent']],
  ['compare', ['compare']],
  ['concept', ['concept']],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const pct = (set: Expectation[], engine: QueryEngine): string =>
  `${((set.filter((e) => isCorrect(e, engine.answer(e.q))).length / set.length) * 100).toFixed(1)}%`;

export async function benchQueryScale(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const { file, fallback } = benchLandscape();
  console.log(
    `\nqueries at scale: the landscape grown 1x..8x (scaledLandscape in tests/helpers/scaled-landscape.ts), ${ROUNDS} rounds; load average ${load}`,
  );
  if (fallback) console.log(`note: ${fallback}`);
  const imported = importLandscape(readFileSync(file, 'utf8'), file);
  if ('problems' in imported) throw new Error('landscape import failed');
  const all = [...QUERIES, ...HELDOUT];
  const kindOf = new Map(KINDS.flatMap(([label, kinds]) => kinds.map((k) => [k, label] as const)));
  const header = ['scale', 'items', 'build', ...KINDS.map(([k]) => `${k} p50/p99`), 'accuracy', 'held-out'];
  const rows: string[][] = [];
  const cpuRows: string[][] = [];
  for (const scale of SCALES) {
    const result = await loadCatalog(CATALOG_DIR, { landscape: scaledLandscape(imported.items, scale) });
    if (!result.ok) throw new Error('catalog invalid: run npx orch catalog check');
    const catalog: Catalog = result.catalog;
    const t0 = performance.now();
    const engine = new QueryEngine(catalog);
    await engine.warmUp(async () => undefined); // the parts otherwise built on first use, timed with the rest
    const buildMs = performance.now() - t0;
    for (const e of all) engine.answer(e.q); // warm-up: JIT and lazily built parts
    const wall = new Map<string, number[]>(KINDS.map(([k]) => [k, []]));
    const cpu = new Map<string, number[]>(KINDS.map(([k]) => [k, []]));
    // Rounds over the whole mixed set, as traffic mixes kinds; each time filed under its query's kind.
    for (let r = 0; r < ROUNDS; r++) {
      for (const e of all) {
        const kind = kindOf.get(e.kind) ?? '';
        const c = process.cpuUsage();
        const t = performance.now();
        engine.answer(e.q);
        wall.get(kind)?.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.get(kind)?.push((used.user + used.system) / 1000);
      }
    }
    const cells = (samples: Map<string, number[]>): string[] =>
      KINDS.map(([k]) => {
        const sorted = (samples.get(k) ?? []).sort((a, b) => a - b);
        return `${percentile(sorted, 50).toFixed(2)}/${percentile(sorted, 99).toFixed(2)}`;
      });
    const size = [`${scale}x`, String(catalog.tools.length), `${buildMs.toFixed(0)} ms`];
    rows.push([...size, ...cells(wall), pct(QUERIES, engine), pct(HELDOUT, engine)]);
    cpuRows.push([...size, ...cells(cpu), '', '']);
    console.log(`  ${scale}x done`);
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...[...rows, ...cpuRows].map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const table = (body: string[][]): string =>
    `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${body.map(line).join('\n')}`;
  console.log(`\nwall time per query, ms:\n${table(rows)}`);
  // On a shared machine a wall-clock p99 is mostly the time the process waited for a core; the process's own CPU
  // time per query (process.cpuUsage, garbage collection included) shows what the engine itself costs.
  console.log(`\nCPU time per query, ms:\n${table(cpuRows)}`);
  console.log(
    '\ntarget: every kind p99 <= 5 ms up to 20,000 items, accuracy as at 1x (the sets expect the curated catalog, so a project only the landscape holds counts as wrong at every scale)',
  );
}
