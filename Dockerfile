# Switchboard image: API and worker (choose with the command). Built from the repository root.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY plugins ./plugins
COPY prisma ./prisma
COPY scripts ./scripts
COPY test/simulators ./test/simulators
COPY bench ./bench
COPY tsconfig.base.json tsconfig.json prisma.config.ts ./
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000 3001
CMD ["node", "apps/api/dist/main.js"]
