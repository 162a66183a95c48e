# The arangops image: one image for every component the chart runs (exporter, jobs, bootstrap,
# backup, verify), `arangops` as the entrypoint. No Docker engine runs where this repository is
# tested; test/image.test.ts installs exactly what the install stage installs (the `npm pack`
# tarballs, production dependencies only, no simulator) and runs it, and hadolint lints this file.
#
#   docker build -t ghcr.io/arangops/arangops:0.1.0 .
#   docker run --rm -e ARANGO_URL=http://host.docker.internal:8529 ghcr.io/arangops/arangops:0.1.0 exporter --once

# Node 24 LTS, the runtime arangops ships on; the same version scripts/install-test-tools.sh tests with.
ARG NODE_VERSION=24.22.3
# The packages the image ships, in dependency order; the simulator (an optional dependency of the
# CLI, for tests and demos) stays out.
ARG PACKAGES="core schema exporter backup cli"

FROM node:${NODE_VERSION}-trixie-slim AS build
ARG PACKAGES
WORKDIR /src
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npx tsc -b \
 && mkdir /packs \
 && for p in ${PACKAGES}; do npm pack --silent --pack-destination /packs -w "packages/$p"; done

FROM node:${NODE_VERSION}-trixie-slim AS install
WORKDIR /opt/arangops
COPY --from=build /packs /packs
RUN echo '{"name":"arangops-image","private":true}' > package.json \
 && npm install --omit=dev --omit=optional --no-audit --no-fund --ignore-scripts /packs/*.tgz \
 && rm -rf /packs

FROM node:${NODE_VERSION}-trixie-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="arangops" \
      org.opencontainers.image.description="Operations suite for ArangoDB clusters: Prometheus exporter, schema drift and bootstrap, verified encrypted backups." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/arangops/arangops" \
      org.opencontainers.image.url="https://github.com/arangops/arangops" \
      org.opencontainers.image.vendor="arangops"
ENV NODE_ENV=production \
    PATH=/opt/arangops/node_modules/.bin:$PATH
# The chart runs the image as user and group 10001 (podSecurityContext); the image's own user is the same.
RUN groupadd --system --gid 10001 arangops \
 && useradd --system --uid 10001 --gid arangops --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin arangops
COPY --from=install --chown=root:root /opt/arangops /opt/arangops
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["arangops"]
CMD ["--help"]
