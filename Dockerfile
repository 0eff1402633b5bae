# orch: the study bot. Multi-stage: dependencies are installed once, the runtime image gets production ones only.
# Node 24 is an LTS line that every native dependency here supports; the sources run through tsx, so no build step.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches; the slim image has no compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY adapters ./adapters
# The catalog is baked in; mount a folder over /app/catalog (or set ORCH_CATALOG_DIR) to replace it.
COPY catalog ./catalog
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# Validates the catalog at build time, so a broken catalog never becomes an image.
RUN node adapters/console/bin.mjs catalog check catalog
ENTRYPOINT ["node", "adapters/console/bin.mjs"]
# Without arguments: the console bot (docker run -it). Chat adapters arrive with their issues.
CMD []
