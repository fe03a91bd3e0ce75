#!/usr/bin/env bash
# Installs everything stateless-ci needs on a fresh Debian machine with Node 20+ and Go 1.26:
# Debian packages (docker-registry, iproute2, openssl), pnpm, the workspace dependencies, and the
# Go-built harness binaries (cached in ${STATELESS_CI_CACHE:-~/.cache/stateless-ci}). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.8

missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v ip >/dev/null || missing+=(iproute2)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]})); then
  echo "[setup] installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "[setup] installing pnpm $PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

pnpm install --frozen-lockfile --reporter=silent

t0=$SECONDS
bash tests/harness/build-binaries.sh >/dev/null
echo "[setup] harness binaries ready in $((SECONDS - t0))s" >&2
