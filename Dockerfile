# orch: the study bot, as one production image.
#
# Base image: Node.js 22, a maintained LTS line (to April 2027), not 24 or 26. From Node 24.19 on, node::ObjectWrap
# registers an environment cleanup hook that better-sqlite3 12 (whose Statement derives from it) trips when a
# statement is garbage-collected outside a JS context: the process aborts with SIGABRT
# (`RemoveEnvironmentCleanupHook ... Assertion failed: (env) != nullptr`), reported for 24.19-24.20 and fixed only in
# better-sqlite3 13, which needs Node >= 22 and crashes on the Node 20 this project is developed and tested on.
# Move to 24/26 together with better-sqlite3 13 once development moves to Node 22.
# The builder stages carry python3/make/g++ so better-sqlite3 compiles when no prebuilt binary matches.
# bookworm-slim: Debian 12, no compiler or curl at run time.
#
# Stages: `toolchain` (compiler + lockfile) -> `build` (all dependencies, tsc -> dist/) and `prod-deps`
# (production dependencies only, native modules built for this exact base) -> the runtime image.

FROM node:22-bookworm-slim AS toolchain
# better-sqlite3 compiles from source when no prebuilt binary matches; the slim image has no compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
# tsc -p tsconfig.build.json: src/ and adapters/ -> dist/src, dist/adapters (imports rewritten to .js).
RUN npm run build

FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
# Ports (PORT, ORCH_HEALTH_PORT) keep the defaults from src/config.ts unless the environment sets them.
# NODE_OPTIONS: a 4 MB young generation instead of V8's 16 MB reserve. Measured by `npm run bench -- footprint`
# and `load`: idle RSS 149 -> 129 MB with both adapters and the landscape, and at 200 req/s the same ack p99 (3.4 ms)
# and CPU (20% of a core). Shard processes inherit it.
# MALLOC_MMAP_THRESHOLD_: glibc serves every allocation above 128 KB with its own mapping, returned on free. By
# default the threshold rises to the size of each large block freed, so the startup's large temporary buffers (catalog
# and landscape files, compilation) end up inside malloc's arenas, which keep the freed memory (12-19 MB of thread
# arenas at idle without it). Idle RSS with both platforms and the landscape, `npm run bench -- footprint` on a quiet
# machine: 93-97 MB over 8 starts (the image's command and the README's) with it, 112.4 MB without it.
# Setting it also fixes the trim threshold at its default. (MALLOC_ARENA_MAX=1 or 2, and thresholds of 32 or 64 KB,
# measured no better, within the 10 MB that idle RSS varies from start to start.)
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    ORCH_CATALOG_DIR=/app/catalog \
    ORCH_DATA_DIR=/app/data
WORKDIR /app
# Owned by root and read-only to the bot: it writes only to /app/data (and /tmp).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# The catalog is baked in; mount a folder over /app/catalog (or point ORCH_CATALOG_DIR elsewhere) to replace it.
COPY catalog ./catalog
# A broken catalog fails the build instead of becoming an image. --write compiles it to catalog/.compiled/catalog.json,
# which the bot reads at start instead of parsing the YAML (a quarter of a second) while it matches the files. Run as
# root: the bot cannot write /app/catalog, so a catalog mounted over it is parsed from YAML at each start instead.
RUN node dist/adapters/console/start.js catalog check --write catalog
RUN mkdir -p /app/data && chown node:node /app/data
# The official image's `node` user, written numerically so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
VOLUME ["/app/data"]
# 3000: Slack HTTP receiver (SLACK_MODE=http, /slack/events). 8080: /healthz, /readyz, /metrics.
# 8090: the channels' study pages and calendar feeds (ORCH_WEB_PORT), on once ORCH_PUBLIC_URL is set.
EXPOSE 3000 8080 8090
# No curl in the slim image: node's fetch asks the health server. Shell form so the port follows ORCH_HEALTH_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${ORCH_HEALTH_PORT:-8080}/healthz',{signal:AbortSignal.timeout(4000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"
# No tini: node runs as PID 1 and the server installs its own SIGTERM/SIGINT handlers (PID 1 gets no default
# ones), finishing in-flight work within 10 s. Shard processes are the server's own children, which it waits for.
# Use `docker run --init` if another reaper is wanted.
STOPSIGNAL SIGTERM
# Starts the Slack and/or Discord adapter depending on which tokens are set (SLACK_BOT_TOKEN, DISCORD_TOKEN).
CMD ["node", "dist/adapters/server/start.js"]
