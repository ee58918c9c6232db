# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && date -u +%FT%TZ > dist/.built

# Runtime stage: production dependencies, compiled code, static pages and models; runs as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional too: dev-only packages that are also optional peers of production ones (pg and redis for bullmq,
# typescript for valibot) are marked devOptional and npm would install them with --omit=dev alone. The only real
# optional package it drops is msgpackr-extract, a native speed-up msgpackr does without. docs/operations.md has sizes.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY src/web ./src/web
COPY models ./models
COPY bin ./bin
COPY scripts/ensure-built.js scripts/start.js ./scripts/
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
