// The queries bench's scale curve (issue 15): the engine over the curated catalog plus the CNCF landscape at 1x, 2x,
// 4x and 8x its size, per query kind, so a lookup whose cost grows with the catalog shows up before a catalog does.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { type Catalog, type LandscapeTool, QueryEngine } from '../../src/testing.ts';
import { type Expectation, HELDOUT, isCorrect, QUERIES } from '../helpers/accuracy.ts';
import { benchLandscape, CATALOG_DIR } from '../helpers/catalog.ts';

const SCALES = [1, 2, 4, 8];
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 12);

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

// Words a product name grows by in the real landscape ("Grafana Cloud", "Harbor Operator", "Argo CD Enterprise").
const QUALIFIERS = ['Cloud', 'Operator', 'Enterprise', 'Edge'];

/**
 * The landscape grown `scale` times, the way a landscape grows: copy 0 is the landscape itself; each further copy
 * holds, for every item, a new product of the same subcategory. Odd copies name it as a vendor edition of the item
 * ("Harbor Cloud"), even copies as a new name blended from the start of the item's name and the end of another's
 * ("Kubeerd"), so no two items share a name and nothing a dedupe would collapse. Each copy takes its description
 * from another item of the same subcategory, so descriptions repeat as vendors' pitches do, but never beside the
 * same name. Homepages and repositories are made distinct, as the catalog drops an item that shares a curated
 * tool's repository.
 */
export function scaledLandscape(items: readonly LandscapeTool[], scale: number): LandscapeTool[] {
  const bySubcategory = new Map<string, LandscapeTool[]>();
  for (const item of items) {
    const list = bySubcategory.get(item.category) ?? [];
    list.push(item);
    bySubcategory.set(item.category, list);
  }
  const out: LandscapeTool[] = [...items];
  const names = new Set(items.map((i) => i.name.toLowerCase()));
  for (let copy = 1; copy < scale; copy++) {
    items.forEach((item, n) => {
      const peers = bySubcategory.get(item.category) ?? [item];
      const peer = peers[(peers.indexOf(item) + copy) % peers.length] ?? item;
      let name =
        copy % 2 === 1
          ? `${item.name} ${QUALIFIERS[(copy - 1) / 2] ?? `Edition ${copy}`}`
          : blend(item.name, (items[(n * 31 + copy * 97) % items.length] ?? item).name);
      for (let k = 2; names.has(name.toLowerCase()); k++) name = `${name} ${k}`;
      names.add(name.toLowerCase());
      const id = `${item.id}-x${copy}`;
      const { homepage: _h, repository: _r, description: _d, ...rest } = item;
      out.push({
        ...rest,
        id,
        name,
        homepage: `https://example.org/${id}`,
        ...(peer.description ? { description: peer.description } : {}),
      });
    });
  }
  return out;
}

/** The first half of one name and the second half of another's first word: "Kubernetes" + "Linkerd" = "Kuberkerd". */
function blend(a: string, b: string): string {
  const head = [...(a.split(' ')[0] ?? a)];
  const tail = [...(b.split(' ')[0] ?? b)];
  return (
    head.slice(0, Math.max(2, Math.ceil(head.length / 2))).join('') +
    tail.slice(Math.floor(tail.length / 2)).join('')
  );
}

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
    `\nqueries at scale: the landscape grown 1x..8x (scaledLandscape in tests/bench/query-scale.ts), ${ROUNDS} rounds; load average ${load}`,
  );
  if (fallback) console.log(`note: ${fallback}`);
  const imported = importLandscape(readFileSync(file, 'utf8'), file);
  if ('problems' in imported) throw new Error('landscape import failed');
  const all = [...QUERIES, ...HELDOUT];
  const header = ['scale', 'items', 'build', ...KINDS.map(([k]) => `${k} p50/p99`), 'accuracy', 'held-out'];
  const rows: string[][] = [];
  for (const scale of SCALES) {
    const result = await loadCatalog(CATALOG_DIR, { landscape: scaledLandscape(imported.items, scale) });
    if (!result.ok) throw new Error('catalog invalid: run npx orch catalog check');
    const catalog: Catalog = result.catalog;
    const t0 = performance.now();
    const engine = new QueryEngine(catalog);
    const buildMs = performance.now() - t0;
    for (const e of all) engine.answer(e.q); // warm-up: JIT and lazily built parts
    const samples = new Map<string, number[]>(KINDS.map(([k]) => [k, []]));
    const kindOf = new Map(KINDS.flatMap(([label, kinds]) => kinds.map((k) => [k, label] as const)));
    // Rounds over the whole mixed set, as traffic mixes kinds; each time filed under its query's kind.
    for (let r = 0; r < ROUNDS; r++) {
      for (const e of all) {
        const t = performance.now();
        engine.answer(e.q);
        const elapsed = performance.now() - t;
        samples.get(kindOf.get(e.kind) ?? '')?.push(elapsed);
      }
    }
    const cells = KINDS.map(([k]) => {
      const sorted = (samples.get(k) ?? []).sort((a, b) => a - b);
      return `${percentile(sorted, 50).toFixed(2)}/${percentile(sorted, 99).toFixed(2)}`;
    });
    rows.push([
      `${scale}x`,
      String(catalog.tools.length),
      `${buildMs.toFixed(0)} ms`,
      ...cells,
      pct(QUERIES, engine),
      pct(HELDOUT, engine),
    ]);
    console.log(`  ${scale}x done`);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
  );
  console.log(
    '\ntimes in ms; target: every kind p99 <= 5 ms up to 20,000 items, accuracy as at 1x (the sets expect the curated catalog, so a project only the landscape holds counts as wrong at every scale)',
  );
}
