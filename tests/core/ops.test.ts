import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPinoLogger,
  createPrometheusMetrics,
  type Reply,
  routingPoster,
  textReply,
  withEnvFile,
} from '../../src/index.ts';
import { maskSecrets } from '../../src/testing.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function captured() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('the dotenv file', () => {
  it('fills in variables the environment does not set, and never overrides one it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-env-'));
    dirs.push(dir);
    await writeFile(join(dir, '.env'), 'ORCH_DEFAULT_LANG=en\n# a comment\nORCH_LOG_LEVEL="debug"\n');
    const { env, file, problem } = withEnvFile({ ORCH_LOG_LEVEL: 'warn' }, dir);
    expect(problem).toBeNull();
    expect(file).toBe(join(dir, '.env'));
    expect(env.ORCH_DEFAULT_LANG).toBe('en');
    expect(env.ORCH_LOG_LEVEL).toBe('warn');
  });

  it('is optional by default and a problem when named but missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-env-'));
    dirs.push(dir);
    expect(withEnvFile({}, dir)).toMatchObject({ file: null, problem: null });
    expect(withEnvFile({ ORCH_ENV_FILE: 'prod.env' }, dir).problem).toMatch(
      /prod\.env, which does not exist/,
    );
  });
});

describe('the process logger', () => {
  it('writes JSON lines with request fields and never a token, by field name or by shape', () => {
    const { lines, stream } = captured();
    const logger = createPinoLogger({ destination: stream, base: { instance: 'i1' } });
    const request = logger.child({ platform: 'slack', channel: 'C1', command: 'tool' });
    request.info({ token: 'xoxb-123456-abcdef', config: { signingSecret: 'shh' } }, 'answered');
    request.error(
      { err: new Error('connect failed for postgres://orch:hunter2@db/orch with xapp-1-A0-123456') },
      'store down; token xoxb-999999-zzzzzz',
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'info',
      message: 'answered',
      instance: 'i1',
      platform: 'slack',
      channel: 'C1',
      command: 'tool',
      token: '[redacted]',
      config: { signingSecret: '[redacted]' },
    });
    const text = JSON.stringify(lines);
    for (const secret of ['xoxb-123456', 'shh', 'hunter2', 'xapp-1-A0', 'xoxb-999999'])
      expect(text).not.toContain(secret);
    expect(lines[1]).toMatchObject({ level: 'error', command: 'tool' });
  });

  it('counts error lines through its hook, with the component they name', () => {
    const { stream } = captured();
    const seen: unknown[] = [];
    const logger = createPinoLogger({
      destination: stream,
      onError: (fields) => seen.push(fields.component),
    });
    logger.child({ component: 'catalog-watch' }).error({}, 'watch failed');
    logger.warn({}, 'not an error');
    expect(seen).toEqual(['catalog-watch']);
  });

  it('masks token shapes in free text', () => {
    expect(maskSecrets('bad token xoxb-1234-5678-abcd here')).toBe('bad token [redacted] here');
    expect(maskSecrets('postgres://user:pa55@host/db')).toBe('postgres://user:[redacted]@host/db');
    expect(maskSecrets('nothing secret')).toBe('nothing secret');
  });
});

describe('the routing poster', () => {
  const reply: Reply = textReply('hi');
  it('sends each channel to its platform and refuses a platform this process does not run', async () => {
    const sent: string[] = [];
    const poster = (name: string) => ({
      name,
      poster: {
        post: async (key: string) => {
          sent.push(`${name}:${key}`);
          return { messageId: key };
        },
      },
    });
    const routed = routingPoster([poster('slack'), poster('discord')]);
    await routed.post('slack:T1:C1', reply, 'k1');
    await routed.post('discord:G1:C2', reply, 'k2');
    expect(sent).toEqual(['slack:slack:T1:C1', 'discord:discord:G1:C2']);
    await expect(routingPoster([poster('slack')]).post('discord:G:C', reply, 'k')).rejects.toThrow(
      /does not run discord/,
    );
  });
});

describe('the metrics registry', () => {
  // The server builds its default metrics from prom-client's modules one by one, and counts CPU time itself, so it
  // does not load the OpenTelemetry API at start (src/ops/metrics.ts). Operators' dashboards must not see a difference.
  it('exposes every default metric prom-client itself collects, under the same names and types', async () => {
    const prom = await import('prom-client');
    const reference = new prom.Registry();
    prom.collectDefaultMetrics({ register: reference, prefix: 'orch_' });
    const ours = createPrometheusMetrics();
    const shape = async (registry: { getMetricsAsJSON(): Promise<{ name: string; type: unknown }[]> }) =>
      (await registry.getMetricsAsJSON()).map((m) => `${m.name} ${String(m.type)}`).sort();
    const theirs = await shape(reference);
    const mine = await shape(ours.registry);
    expect(theirs.length).toBeGreaterThan(10);
    expect(mine).toEqual(expect.arrayContaining(theirs));
  });

  it('counts the process CPU time, user and system adding up to the total', async () => {
    const ours = createPrometheusMetrics();
    const until = Date.now() + 30;
    while (Date.now() < until) Math.sqrt(Math.random());
    const json = await ours.registry.getMetricsAsJSON();
    const value = (name: string) =>
      Number((json.find((m) => m.name === name)?.values as { value: number }[] | undefined)?.[0]?.value);
    const user = value('orch_process_cpu_user_seconds_total');
    const system = value('orch_process_cpu_system_seconds_total');
    const total = value('orch_process_cpu_seconds_total');
    expect(user).toBeGreaterThan(0);
    expect(total).toBeCloseTo(user + system, 6);
  });
});
