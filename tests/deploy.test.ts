import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES } from '../src/config.ts';

// The deployment artefacts (Dockerfile, .dockerignore, deploy/*.yaml) cannot run here: no Docker engine and no
// cluster. These tests hold the invariants whose breakage would only show up in production.

const ROOT = resolve(import.meta.dirname, '..');
const DEPLOY = join(ROOT, 'deploy');

type Labels = Record<string, string>;

interface Probe {
  httpGet?: { path?: string; port?: number | string };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] }; sleep?: { seconds: number } } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  topologySpreadConstraints?: { labelSelector?: { matchLabels?: Labels } }[];
  volumes?: { name: string }[];
}

interface Manifest {
  file: string;
  apiVersion?: string;
  kind: string;
  metadata?: { name?: string; labels?: Labels; annotations?: Labels };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
  spec?: {
    replicas?: number;
    strategy?: { type?: string };
    selector?: Labels | { matchLabels?: Labels };
    template?: { metadata?: { labels?: Labels; annotations?: Labels }; spec: PodSpec };
    ports?: { name?: string; port: number; targetPort?: number | string }[];
  };
}

interface Deployment extends Manifest {
  spec: NonNullable<Manifest['spec']> & {
    selector: { matchLabels?: Labels };
    template: { metadata?: { labels?: Labels; annotations?: Labels }; spec: PodSpec };
  };
}

function loadManifests(): Manifest[] {
  return readdirSync(DEPLOY)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => {
      const docs = parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'));
      return docs.map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
        return { ...(doc.toJS() as Omit<Manifest, 'file'>), file };
      });
    });
}

const manifests = loadManifests();
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployments = ofKind('Deployment') as Deployment[];
const component = (name: string): Deployment => {
  const found = deployments.find(
    (d) => d.spec.template.metadata?.labels?.['app.kubernetes.io/component'] === name,
  );
  if (!found) throw new Error(`no Deployment for component ${name}`);
  return found;
};
const configMaps = ofKind('ConfigMap');
const secrets = ofKind('Secret');

function matchLabelsOf(selector: Labels | { matchLabels?: Labels } | undefined): Labels {
  if (!selector) return {};
  if ('matchLabels' in selector && typeof selector.matchLabels === 'object') return selector.matchLabels;
  return selector as Labels;
}

/** A selector with no labels would select everything; otherwise every label must match. */
function selects(selector: Labels, labels: Labels | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** The container's environment as Kubernetes builds it: envFrom ConfigMaps first, then env (secrets resolved to the example). */
function envOf(container: Container): Map<string, string> {
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const map = from.configMapRef && configMaps.find((c) => c.metadata?.name === from.configMapRef?.name);
    for (const [k, v] of Object.entries(map?.data ?? {})) env.set(k, String(v));
    const secret = from.secretRef && secrets.find((s) => s.metadata?.name === from.secretRef?.name);
    for (const [k, v] of Object.entries(secret?.stringData ?? {})) env.set(k, String(v));
  }
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    const source = e.valueFrom?.secretKeyRef ? secrets : configMaps;
    const holder = ref && source.find((s) => s.metadata?.name === ref.name);
    const value = e.value ?? (ref ? (holder?.stringData ?? holder?.data)?.[ref.key] : undefined);
    env.set(e.name, String(value ?? ''));
  }
  return env;
}

function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The number in "(default: N)" of a documented variable, or undefined while it is not documented. */
function documentedDefault(name: string): number | undefined {
  const text = (CONFIG_VARIABLES as Record<string, string>)[name];
  const match = text?.match(/default:?\s*(\d+)/);
  return match ? Number(match[1]) : undefined;
}

function preStopSeconds(container: Container): number {
  const pre = container.lifecycle?.preStop;
  if (pre?.sleep) return pre.sleep.seconds;
  const command = pre?.exec?.command ?? [];
  const sleep = command.indexOf('sleep');
  return sleep >= 0 ? Number(command[sleep + 1] ?? 0) : 0;
}

describe('deploy/ manifests', () => {
  it('parse, and every resource names its kind and apiVersion', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) {
      expect(m.kind, m.file).toMatch(/^[A-Z]\w+$/);
      expect(m.apiVersion, m.file).toBeTruthy();
    }
  });

  it('are all listed in kustomization.yaml, except the example Secret, which apply -k must never overwrite', () => {
    const kustomization = manifests.find((m) => m.kind === 'Kustomization');
    const listed = kustomization?.resources ?? [];
    for (const file of listed) expect(existsSync(join(DEPLOY, file)), file).toBe(true);
    const expected = [...new Set(manifests.map((m) => m.file))].filter(
      (f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml',
    );
    expect([...listed].sort()).toEqual(expected.sort());
  });

  it('give every Deployment a selector that matches its own pod template', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const d of deployments) {
      expect(selects(matchLabelsOf(d.spec.selector), d.spec.template.metadata?.labels), d.file).toBe(true);
    }
  });

  it('point every probe at ORCH_HEALTH_PORT: /healthz for startup and liveness, /readyz for readiness', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        const where = `${d.file} ${c.name}`;
        const port = Number(envOf(c).get('ORCH_HEALTH_PORT') ?? documentedDefault('ORCH_HEALTH_PORT'));
        expect(Number.isInteger(port), `${where}: ORCH_HEALTH_PORT`).toBe(true);
        const probes = {
          startupProbe: '/healthz',
          livenessProbe: '/healthz',
          readinessProbe: '/readyz',
        } as const;
        for (const [probe, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
          const get = c[probe]?.httpGet;
          expect(get?.path, `${where} ${probe}`).toBe(path);
          expect(portNumber(c, get?.port), `${where} ${probe} port`).toBe(port);
        }
        const annotations = d.spec.template.metadata?.annotations ?? {};
        if (annotations['prometheus.io/scrape'] === 'true') {
          expect(Number(annotations['prometheus.io/port']), `${where} prometheus.io/port`).toBe(port);
          expect(annotations['prometheus.io/path'], where).toBe('/metrics');
        }
      }
    }
  });

  it('give the bot longer than its own shutdown (ORCH_SHUTDOWN_SECONDS, 10 s), after any preStop pause', () => {
    for (const d of deployments) {
      const spec = d.spec.template.spec;
      for (const c of spec.containers) {
        const shutdown = Number(
          envOf(c).get('ORCH_SHUTDOWN_SECONDS') ?? documentedDefault('ORCH_SHUTDOWN_SECONDS') ?? 10,
        );
        expect(spec.terminationGracePeriodSeconds ?? 30, d.file).toBeGreaterThan(
          shutdown + preStopSeconds(c),
        );
      }
    }
  });

  it('run Discord as exactly one pod, replaced with Recreate, with a fixed shard count', () => {
    const discord = component('discord');
    expect(discord.spec.replicas).toBe(1);
    expect(discord.spec.strategy?.type).toBe('Recreate');
    for (const c of discord.spec.template.spec.containers) {
      expect(envOf(c).get('DISCORD_SHARDS')).toMatch(/^[1-9]\d*$/);
    }
  });

  it('keeps each token in its own Deployment, so replicas never start the other adapter', () => {
    for (const c of component('slack').spec.template.spec.containers) {
      const env = envOf(c);
      expect(env.has('SLACK_BOT_TOKEN')).toBe(true);
      expect(env.get('SLACK_MODE')).toBe('http');
      expect(env.has('DISCORD_TOKEN')).toBe(false);
    }
    for (const c of component('discord').spec.template.spec.containers) {
      const env = envOf(c);
      expect(env.has('DISCORD_TOKEN')).toBe(true);
      expect(env.has('SLACK_BOT_TOKEN')).toBe(false);
    }
  });

  it('give PostgreSQL to every workload that runs more than one bot process', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        const env = envOf(c);
        const processes = (d.spec.replicas ?? 1) * Number(env.get('DISCORD_SHARDS') ?? 1);
        if (processes > 1) expect(env.get('DATABASE_URL'), d.file).toMatch(/^postgres(ql)?:\/\//);
      }
    }
  });

  it('spread the Slack replicas with a selector that matches them', () => {
    const slack = component('slack');
    expect(slack.spec.replicas ?? 1).toBeGreaterThan(1);
    const spread = slack.spec.template.spec.topologySpreadConstraints ?? [];
    expect(spread.length).toBeGreaterThan(0);
    for (const s of spread) {
      expect(selects(s.labelSelector?.matchLabels ?? {}, slack.spec.template.metadata?.labels)).toBe(true);
    }
  });

  it('select the Slack pods, and only them, from the PodDisruptionBudget and the Service', () => {
    const slackLabels = component('slack').spec.template.metadata?.labels;
    const discordLabels = component('discord').spec.template.metadata?.labels;
    const pdbs = ofKind('PodDisruptionBudget');
    const services = ofKind('Service');
    expect(pdbs.length).toBeGreaterThan(0);
    expect(services.length).toBeGreaterThan(0);
    for (const m of [...pdbs, ...services]) {
      const selector = matchLabelsOf(m.spec?.selector);
      expect(selects(selector, slackLabels), `${m.file} selects the Slack pods`).toBe(true);
      expect(selects(selector, discordLabels), `${m.file} must not select the Discord pod`).toBe(false);
    }
  });

  it('route the Service to the Slack receiver on PORT and to the metrics port', () => {
    const container = component('slack').spec.template.spec.containers[0] as Container;
    const env = envOf(container);
    const targets = (ofKind('Service')[0]?.spec?.ports ?? []).map((p) => portNumber(container, p.targetPort));
    expect(targets).toContain(Number(env.get('PORT') ?? documentedDefault('PORT')));
    expect(targets).toContain(Number(env.get('ORCH_HEALTH_PORT') ?? documentedDefault('ORCH_HEALTH_PORT')));
  });

  it('run as a non-root user on a read-only root filesystem with writable /tmp and /app/data', () => {
    for (const d of deployments) {
      const spec = d.spec.template.spec;
      expect(spec.securityContext?.runAsNonRoot, d.file).toBe(true);
      expect(spec.securityContext?.runAsUser ?? 0, d.file).toBeGreaterThan(0);
      for (const c of spec.containers) {
        expect(c.securityContext?.readOnlyRootFilesystem, d.file).toBe(true);
        expect(c.securityContext?.allowPrivilegeEscalation, d.file).toBe(false);
        for (const path of ['/tmp', '/app/data']) {
          const mount = c.volumeMounts?.find((v) => v.mountPath === path);
          expect(mount && !mount.readOnly, `${d.file} ${path}`).toBe(true);
          expect(
            spec.volumes?.some((v) => v.name === mount?.name),
            `${d.file} ${path} volume`,
          ).toBe(true);
        }
      }
    }
  });

  it('reference only Secret keys and ConfigMaps that exist', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef)
            expect(
              configMaps.map((m) => m.metadata?.name),
              d.file,
            ).toContain(from.configMapRef.name);
          if (from.secretRef)
            expect(
              secrets.map((m) => m.metadata?.name),
              d.file,
            ).toContain(from.secretRef.name);
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          const secret = secrets.find((s) => s.metadata?.name === ref.name);
          expect(secret, `${d.file} ${e.name}: Secret ${ref.name}`).toBeDefined();
          expect(Object.keys(secret?.stringData ?? {}), `${d.file} ${e.name}`).toContain(ref.key);
        }
      }
    }
  });

  it('ship only placeholders in the example Secret', () => {
    expect(secrets.map((s) => s.file)).toEqual(['secret.example.yaml']);
    const secret = secrets[0] as Manifest;
    expect(secret.data, 'base64 data hides what it holds; use stringData').toBeUndefined();
    const realLooking = [
      /xox[abposr]-\d+-/, // Slack tokens carry numeric ids after the prefix
      /xapp-\d-/,
      /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/, // Discord bot token
      /^\d{17,20}$/, // a real Discord snowflake
      /[0-9a-f]{32,}/i, // a signing secret
    ];
    const values = Object.entries(secret.stringData ?? {});
    expect(values.length).toBeGreaterThan(0);
    for (const [key, value] of values) {
      expect(value, key).toContain('REPLACE_ME');
      for (const pattern of realLooking) expect(value, `${key} looks real`).not.toMatch(pattern);
    }
  });

  it('use only environment variables documented in src/config.ts', () => {
    const used = new Set<string>();
    for (const m of [...configMaps, ...secrets]) {
      for (const key of Object.keys({ ...m.data, ...m.stringData })) used.add(key);
    }
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) for (const e of c.env ?? []) used.add(e.name);
    }
    const undocumented = [...used].filter((name) => !(name in CONFIG_VARIABLES)).sort();
    expect(undocumented).toEqual([]);
  });
});

// --- Dockerfile ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Instructions per stage: comments dropped, backslash continuations joined. */
function dockerfileStages(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    pending += raw.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(raw)) continue;
    const line = pending.trim();
    pending = '';
    if (line === '') continue;
    const [, keyword = '', args = ''] = line.match(/^(\w+)\s+([\s\S]*)$/) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, from = '', name] = args.match(/^(\S+)(?:\s+AS\s+(\S+))?/i) ?? [];
      stages.push({ from, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = dockerfileStages(dockerfile);
const finalStage = stages.at(-1) as Stage;
const finalOf = (keyword: string) => finalStage.instructions.filter((i) => i.keyword === keyword);

/** The TypeScript source that `npm run build` compiles to a dist/ path, or why there is none. */
function sourceOf(distPath: string): string {
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    compilerOptions?: { outDir?: string };
    include?: string[];
  };
  const outDir = build.compilerOptions?.outDir ?? '';
  if (!distPath.startsWith(`${outDir}/`)) return `${distPath} is not under the build's outDir ${outDir}`;
  const source = distPath.slice(outDir.length + 1).replace(/\.js$/, '.ts');
  if (!build.include?.some((dir) => source.startsWith(`${dir}/`)))
    return `${source} is outside tsconfig.build.json's include`;
  return existsSync(join(ROOT, source)) ? source : `${source} does not exist (yet)`;
}

describe('Dockerfile', () => {
  it('starts the built server entry, compiled from adapters/server/start.ts', () => {
    const start = [...finalOf('ENTRYPOINT'), ...finalOf('CMD')].flatMap(
      (i) => JSON.parse(i.args) as string[],
    );
    expect(start).toEqual(['node', 'dist/adapters/server/start.js']);
    expect(sourceOf('dist/adapters/server/start.js')).toBe('adapters/server/start.ts');
  });

  it('runs only files the build produces in the final image', () => {
    const scripts = finalOf('RUN').flatMap((i) => [...i.args.matchAll(/\bnode\s+(dist\/\S+\.js)/g)]);
    expect(scripts.map((m) => m[1])).toContain('dist/adapters/console/start.js');
    for (const m of scripts) expect(sourceOf(m[1] as string)).toMatch(/^adapters\/.+\.ts$|^src\/.+\.ts$/);
  });

  it('checks health on the port config.ts defaults to, at /healthz, and exposes both ports', () => {
    const healthPort = documentedDefault('ORCH_HEALTH_PORT');
    expect(healthPort, 'ORCH_HEALTH_PORT documented with "(default: N)" in CONFIG_VARIABLES').toBeDefined();
    const check = finalOf('HEALTHCHECK').map((i) => i.args);
    expect(check).toHaveLength(1);
    const url = check[0]?.match(/http:\/\/127\.0\.0\.1:\$\{ORCH_HEALTH_PORT:-(\d+)\}(\/\w+)/);
    expect(url?.[2]).toBe('/healthz');
    expect(Number(url?.[1])).toBe(healthPort);
    const exposed = finalOf('EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number.parseInt(p, 10)));
    expect(exposed).toContain(healthPort);
    expect(exposed).toContain(documentedDefault('PORT'));
  });

  it('runs as a non-root user and stops on SIGTERM', () => {
    const user = finalOf('USER').at(-1)?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(finalOf('STOPSIGNAL').at(-1)?.args).toBe('SIGTERM');
  });

  it('ships production dependencies only', () => {
    const copied = finalOf('COPY').find((i) => /\/app\/node_modules\b/.test(i.args));
    const fromStage = copied?.args.match(/--from=(\S+)/)?.[1];
    const source = stages.find((s) => s.name === fromStage);
    expect(source, 'the stage node_modules is copied from').toBeDefined();
    const installs = (source?.instructions ?? []).filter(
      (i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args),
    );
    expect(installs.length).toBeGreaterThan(0);
    for (const i of installs) expect(i.args).toMatch(/--omit=dev/);
  });

  it('copies only from stages it defines', () => {
    const names = new Set(stages.map((s) => s.name));
    for (const stage of stages) {
      if (!/^node:/.test(stage.from)) expect(names.has(stage.from), stage.from).toBe(true);
      for (const i of stage.instructions) {
        const from = i.args.match(/--from=(\S+)/)?.[1];
        if (i.keyword === 'COPY' && from) expect(names.has(from), from).toBe(true);
      }
    }
  });

  it('uses a Node.js major that better-sqlite3 and package.json support', () => {
    const majors = stages.flatMap((s) => s.from.match(/^node:(\d+)/)?.[1] ?? []).map(Number);
    expect(new Set(majors).size).toBe(1);
    const major = majors[0] as number;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const sqliteEngines = lock.packages['node_modules/better-sqlite3']?.engines?.node ?? '';
    expect(sqliteEngines.split('||').map((r) => r.trim())).toContain(`${major}.x`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const minimum = Number(pkg.engines.node.match(/>=\s*(\d+)/)?.[1]);
    expect(major).toBeGreaterThanOrEqual(minimum);
  });

  it('sends the build everything it copies, and nothing else (.dockerignore allowlist)', () => {
    const rules = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1).replace(/\/$/, ''));
    const contextSources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(contextSources.length).toBeGreaterThan(0);
    for (const source of contextSources) {
      expect(allowed, `${source} is copied but not in the build context`).toContain(
        source.replace(/\/$/, ''),
      );
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    for (const secretish of ['.env', 'node_modules', 'data', 'dist', '.git', 'tests']) {
      expect(allowed, secretish).not.toContain(secretish);
    }
  });
});
