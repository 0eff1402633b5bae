import type { Shard } from 'discord.js';

// How the process that supervises Discord shards gets their metrics: a shard process has no operator port of its
// own, so the supervisor asks each shard over its IPC channel on every scrape of /metrics and sums the answers into
// its own exposition. Both halves of that exchange are here: the supervisor's question and the shard's answer.

/** A shard that does not answer a metrics request this fast is left out of that scrape. */
const METRICS_TIMEOUT_MS = 1_000;

/** The supervisor's question; `nonce` pairs the answer with it. */
interface MetricsRequest {
  orch: 'metrics';
  nonce: number;
}

/** The shard's answer: its metrics as prom-client JSON. */
interface MetricsAnswer extends MetricsRequest {
  metrics: object;
}

let lastNonce = 0;

/** Asks one shard for its metrics; null when it does not answer within METRICS_TIMEOUT_MS or cannot be asked. */
export function askShardMetrics(shard: Shard): Promise<object | null> {
  return new Promise((resolve) => {
    const nonce = ++lastNonce;
    const timer = setTimeout(() => finish(null), METRICS_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      const reply = message as Partial<MetricsAnswer> | null;
      if (reply?.orch === 'metrics' && reply.nonce === nonce) finish(reply.metrics ?? null);
    };
    const finish = (value: object | null) => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      resolve(value);
    };
    shard.on('message', onMessage);
    const request: MetricsRequest = { orch: 'metrics', nonce };
    shard.send(request).catch(() => finish(null));
  });
}

/**
 * In a shard process (discord.js's ShardingManager started it: it has an IPC channel and SHARDING_MANAGER is set),
 * answers the supervisor's metrics requests with `metrics()`. Returns what stops answering, or null when this
 * process is not a shard.
 */
export function answerShardMetrics(
  env: Readonly<Record<string, string | undefined>>,
  metrics: () => Promise<object>,
): (() => void) | null {
  const send = process.send?.bind(process);
  if (!send || !env.SHARDING_MANAGER) return null;
  const onMessage = (message: unknown) => {
    const request = message as Partial<MetricsRequest> | null;
    if (request?.orch !== 'metrics') return;
    void metrics().then((json) => {
      const answer: MetricsAnswer = { orch: 'metrics', nonce: request.nonce ?? 0, metrics: json };
      send(answer);
    });
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}
