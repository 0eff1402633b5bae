import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';
import type { Metrics } from '../ports.ts';

// prom-client on first use: only the server keeps metrics, and loading it took a fifth of a cold `orch ask`.
let loaded: typeof PromClient | undefined;
const promClient = (): typeof PromClient => {
  loaded ??= createRequire(import.meta.url)('prom-client') as typeof PromClient;
  return loaded;
};

/** The parts of prom-client a registry of orch's metrics uses, required one by one (see defaultMetrics below). */
interface PromParts {
  Registry: typeof PromClient.Registry;
  Counter: typeof PromClient.Counter;
  Gauge: typeof PromClient.Gauge;
  Histogram: typeof PromClient.Histogram;
  /** Every default metric but the process CPU counters, each as prom-client registers it. */
  defaultMetrics: ((
    registry: Registry,
    config: { prefix: string; eventLoopMonitoringPrecision: number },
  ) => void)[];
}

// prom-client's index (and its collectDefaultMetrics) loads the whole package, and its process CPU counter loads the
// OpenTelemetry API (about 50 modules) for trace exemplars orch never turns on: together about a tenth of the server's
// start. So the server requires only the classes it uses and each default metric's own module, and counts CPU time
// itself under the same names (processCpuCounters). A test holds the exposition to prom-client's full default set.
const DEFAULT_METRIC_MODULES = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];
let parts: PromParts | undefined;
const promParts = (): PromParts => {
  if (parts) return parts;
  const require = createRequire(import.meta.url);
  const lib = (name: string) => require(`prom-client/lib/${name}`);
  parts = {
    Registry: lib('registry') as typeof PromClient.Registry,
    Counter: lib('counter') as typeof PromClient.Counter,
    Gauge: lib('gauge') as typeof PromClient.Gauge,
    Histogram: lib('histogram') as typeof PromClient.Histogram,
    defaultMetrics: DEFAULT_METRIC_MODULES.filter(
      // As prom-client itself: the active-resources gauge only where Node has the call.
      (name) => name !== 'processResources' || typeof process.getActiveResourcesInfo === 'function',
    ).map((name) => lib(`metrics/${name}`) as PromParts['defaultMetrics'][number]),
  };
  return parts;
};

/** process_cpu_{user,system}_seconds_total and process_cpu_seconds_total, as prom-client's own counters count them. */
function processCpuCounters(prefix: string, registry: Registry, Counter: PromParts['Counter']): void {
  let last = process.cpuUsage();
  const user = new Counter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'Total user CPU time spent in seconds.',
    registers: [registry],
    // One collect sets all three, as prom-client does.
    collect() {
      const now = process.cpuUsage();
      const userMicros = now.user - last.user;
      const systemMicros = now.system - last.system;
      last = now;
      user.inc(userMicros / 1e6);
      system.inc(systemMicros / 1e6);
      total.inc((userMicros + systemMicros) / 1e6);
    },
  });
  const system = new Counter({
    name: `${prefix}process_cpu_system_seconds_total`,
    help: 'Total system CPU time spent in seconds.',
    registers: [registry],
  });
  const total = new Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'Total user and system CPU time spent in seconds.',
    registers: [registry],
  });
}

/** The Prometheus side of the Metrics port, plus what only the process knows (adapters connected, catalog size). */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The text exposition for GET /metrics. */
  text(): Promise<string>;
  contentType: string;
  /** Whether a platform's connection is up (1) or down (0). */
  setConnected(platform: string, up: boolean): void;
  /** Errors logged, by component. */
  errorLogged(component: string): void;
}

/** Buckets for one command, from a cache hit (sub-millisecond) to a slow store (seconds). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A registry of orch's metrics; each call makes its own registry, so two processes' worth never mix in one test. */
export function createPrometheusMetrics(options: { defaultMetrics?: boolean } = {}): PrometheusMetrics {
  const { Counter, Gauge, Histogram, Registry, defaultMetrics } = promParts();
  const registry = new Registry();
  if (options.defaultMetrics !== false) {
    const config = { prefix: 'orch_', eventLoopMonitoringPrecision: 10 };
    processCpuCounters(config.prefix, registry, Counter);
    for (const metric of defaultMetrics) metric(registry, config);
  }
  const commands = new Counter({
    name: 'orch_commands_total',
    help: 'Commands and button presses handled, by command and outcome (ok, user_error, error).',
    labelNames: ['command', 'kind', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'orch_command_duration_seconds',
    help: 'Time from an event reaching the core to its replies being ready.',
    labelNames: ['kind'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const answers = new Counter({
    name: 'orch_quiz_answers_total',
    help: 'Quiz button presses, by outcome (counted, duplicate, closed, unknown).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const lessons = new Counter({
    name: 'orch_lessons_total',
    help: 'Scheduled lessons, by outcome: posted, missed (the bot was down past the grace window), failed (retried with backoff, or abandoned after the last retry).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'orch_catalog_reloads_total',
    help: 'Catalog reloads, by outcome (ok, rejected: the last good catalog stayed in service).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'orch_errors_total',
    help: 'Errors logged, by component.',
    labelNames: ['component'],
    registers: [registry],
  });
  const lookupCache = new Counter({
    name: 'orch_lookup_cache_total',
    help: 'Lookups answered from the reply cache (hit) or computed anew (miss).',
    labelNames: ['result'],
    registers: [registry],
  });
  const connected = new Gauge({
    name: 'orch_platform_connected',
    help: 'Whether a chat platform connection is up (1) or down (0).',
    labelNames: ['platform'],
    registers: [registry],
  });
  // Zero series exist from the start, so a rate() over a fresh process is 0 rather than absent.
  for (const outcome of ['posted', 'missed', 'failed']) lessons.inc({ outcome }, 0);
  for (const outcome of ['counted', 'duplicate', 'closed', 'unknown']) answers.inc({ outcome }, 0);
  for (const result of ['hit', 'miss']) lookupCache.inc({ result }, 0);

  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    commandHandled(command, kind, outcome, seconds) {
      commands.inc({ command, kind, outcome });
      latency.observe({ kind }, seconds);
    },
    quizAnswer(outcome) {
      answers.inc({ outcome });
    },
    lessonPass(report) {
      if (report.posted) lessons.inc({ outcome: 'posted' }, report.posted);
      if (report.missed) lessons.inc({ outcome: 'missed' }, report.missed);
      if (report.failed) lessons.inc({ outcome: 'failed' }, report.failed);
    },
    catalogReload(outcome) {
      reloads.inc({ outcome });
    },
    lookupCache(result) {
      lookupCache.inc({ result });
    },
    setConnected(platform, up) {
      connected.set({ platform }, up ? 1 : 0);
    },
    errorLogged(component) {
      errors.inc({ component });
    },
  };
}

/**
 * The exposition of this process's metrics summed with other processes' (Discord shard processes, which have no
 * operator port): counters and histograms add up, so the pod's /metrics counts every shard's commands.
 */
export async function aggregatedMetricsText(own: Registry, others: readonly object[]): Promise<string> {
  if (others.length === 0) return own.metrics();
  return promClient()
    .AggregatorRegistry.aggregate([await own.getMetricsAsJSON(), ...others])
    .metrics();
}
