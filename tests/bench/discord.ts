// The Discord half of `npm run bench`: `/orch tool istio` slash commands dispatched through the fake gateway and
// answered through the fake REST API, to orch's Discord client (createDiscordApp, a SQLite store in a temp dir)
// side by side in the same run with a bare discord.js client that replies with fixed text; then orch's tool
// autocomplete. Each client has a fake of its own; everything stays on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, GatewayIntentBits } from 'discord.js';
import { createDiscordApp } from '../../adapters/discord/app.ts';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { type Bot, type Catalog, createBot, openStore, silentLogger } from '../../src/index.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';

const TOKEN = 'bench-token';
const WARM_UP = 200;
const INTERACTIONS = 1000;
const CONCURRENCY = 32;
const ROUNDS = 3;
const AUTOCOMPLETES = 500;
const TYPED = ['isito', '이스티', 'ㅇㅅㅌ', 'kube', 'envo'];
const CALLBACK_TIMEOUT_MS = 10_000;

interface Load {
  count: number;
  /** Interactions with no callback in time, or a callback of an unexpected type. */
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summarize(samples: number[], errors: number, elapsedMs: number): Load {
  const times = [...samples].sort((a, b) => a - b);
  return {
    count: samples.length,
    errors,
    perSecond: (samples.length / elapsedMs) * 1000,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? 0,
  };
}

let nextUser = 0;

/** `count` `/orch tool istio` interactions, `concurrency` at a time, each timed from dispatch to callback. */
async function slashLoad(fake: FakeDiscord, count: number, concurrency: number): Promise<Load> {
  const samples: number[] = [];
  let errors = 0;
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < count) {
        issued += 1;
        const user = String(700000000000000000n + BigInt(nextUser++));
        const payload = fake.slashCommandInteraction({
          subcommand: 'tool',
          options: { name: 'istio' },
          user: { id: user, username: `member${user.slice(-6)}` },
          locale: 'en-US',
        });
        const started = performance.now();
        try {
          const callback = await fake.interact(payload, { timeoutMs: CALLBACK_TIMEOUT_MS });
          if (callback.type !== 4) errors += 1;
        } catch {
          errors += 1;
        }
        samples.push(performance.now() - started);
      }
    }),
  );
  return summarize(samples, errors, performance.now() - t0);
}

/** `count` autocomplete interactions for `/orch tool`, one after the other. */
async function autocompleteLoad(fake: FakeDiscord, count: number): Promise<Load> {
  const samples: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const payload = fake.autocompleteInteraction({
      subcommand: 'tool',
      focused: { name: 'name', value: TYPED[i % TYPED.length] ?? '' },
    });
    const started = performance.now();
    try {
      const callback = await fake.interact(payload, { timeoutMs: CALLBACK_TIMEOUT_MS });
      const choices = (callback.data as { choices?: unknown[] } | undefined)?.choices;
      if (callback.type !== 8 || !Array.isArray(choices) || choices.length === 0) errors += 1;
    } catch {
      errors += 1;
    }
    samples.push(performance.now() - started);
  }
  return summarize(samples, errors, performance.now() - t0);
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const msText = (value: number): string => `${value.toFixed(2)} ms`;

/** Runs both clients under the same load, taking turns, then orch's autocomplete, and prints the table. */
export async function benchDiscord(catalog: Catalog): Promise<void> {
  console.log(
    '\ndiscord: `/orch tool istio` interactions through the fake gateway and REST, dispatch to callback;' +
      ' orch beside a bare discord.js client that replies with fixed text',
  );
  const dir = await mkdtemp(join(tmpdir(), 'orch-bench-discord-'));
  const store = await openStore({ sqlitePath: join(dir, 'discord.db') });
  const fakes: FakeDiscord[] = [];
  const clients: Client[] = [];
  try {
    const orchFake = await startFakeDiscord({ callbackTimeoutMs: CALLBACK_TIMEOUT_MS });
    fakes.push(orchFake);
    let bot: Bot | undefined;
    const orch = createDiscordApp({ apiUrl: orchFake.apiUrl, logger: silentLogger, bot: () => bot as Bot });
    clients.push(orch);
    orch.rest.setToken(TOKEN);
    bot = createBot({
      catalog,
      store,
      poster: new DiscordPoster(orch.rest),
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      defaultLang: 'en',
    });
    await orch.login(TOKEN);
    await orchFake.ready();

    const bareFake = await startFakeDiscord({ callbackTimeoutMs: CALLBACK_TIMEOUT_MS });
    fakes.push(bareFake);
    const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: bareFake.apiUrl } });
    clients.push(bare);
    bare.on('interactionCreate', (interaction) => {
      if (!interaction.isRepliable()) return;
      interaction.reply({ content: 'ok', allowedMentions: { parse: [] } }).catch(() => undefined);
    });
    await bare.login(TOKEN);
    await bareFake.ready();

    const targets = [
      { tag: 'bare', name: 'bare discord.js (fixed text)', fake: bareFake },
      { tag: 'orch', name: 'orch Discord client', fake: orchFake },
    ];

    // Warm-up: JIT, the SQLite page cache and the REST client's buckets, on both clients.
    for (const t of targets) await slashLoad(t.fake, WARM_UP, CONCURRENCY);

    // Maximum throughput, closed loop; the clients take turns and the median round of each is reported.
    const runs = new Map<string, Load[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        gc();
        const load = await slashLoad(t.fake, INTERACTIONS, CONCURRENCY);
        runs.set(t.tag, [...(runs.get(t.tag) ?? []), load]);
        t.fake.reset();
      }
    }

    gc();
    await autocompleteLoad(orchFake, 50); // warm-up
    const complete = await autocompleteLoad(orchFake, AUTOCOMPLETES);

    const rows: string[][] = [];
    const median = new Map<string, Load>();
    for (const t of targets) {
      const sorted = [...(runs.get(t.tag) ?? [])].sort((a, b) => a.perSecond - b.perSecond);
      const mid = sorted[Math.floor(sorted.length / 2)];
      if (!mid) continue;
      median.set(t.tag, mid);
      const range = `${(sorted[0]?.perSecond ?? 0).toFixed(0)}-${(sorted[sorted.length - 1]?.perSecond ?? 0).toFixed(0)}`;
      rows.push([
        `${INTERACTIONS} x ${CONCURRENCY} concurrent / ${t.name}`,
        `${mid.perSecond.toFixed(0)} (${range})`,
        msText(mid.p50),
        msText(mid.p99),
        msText(mid.max),
        String(sorted.reduce((sum, r) => sum + r.errors, 0)),
      ]);
    }
    rows.push([
      `${AUTOCOMPLETES} autocompletes, sequential / orch Discord client`,
      complete.perSecond.toFixed(0),
      msText(complete.p50),
      msText(complete.p99),
      msText(complete.max),
      String(complete.errors),
    ]);
    const header = ['run', 'interactions/s (range)', 'p50', 'p99', 'max', 'errors'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(
      `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
    );
    const ratio = (median.get('orch')?.perSecond ?? 0) / (median.get('bare')?.perSecond ?? 1);
    console.log(
      `orch/bare throughput: ${ratio.toFixed(2)} (median of ${ROUNDS} rounds); orch autocomplete p99: ${msText(complete.p99)}` +
        ' (times are dispatch to callback)',
    );
    console.log("target: throughput >= 0.8 x the bare client's; autocomplete p99 <= 20 ms; no errors");
  } finally {
    for (const client of clients) await client.destroy().catch(() => undefined);
    for (const fake of fakes) await fake.close().catch(() => undefined);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
