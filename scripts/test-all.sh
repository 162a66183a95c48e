#!/usr/bin/env bash
# The one test command (`npm run test:all`): installs what the tests need when
# it is missing, builds, lints, type-checks and runs every test. Services the
# tests need (moto_server, the ArangoDB simulator, Prometheus) are started on
# loopback by the test harness and stopped when the run ends.
# With CI=true a missing tool or service fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .arangops

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules up to date"
fi

step "test tools (Node 24, promtool, prometheus, amtool, chromium, moto, helm, kubeconform, helm-unittest)"
bash scripts/install-test-tools.sh

step "build and type-check"
npm run --silent typecheck

step "lint"
npm run --silent lint

# The suite runs on Node 24 LTS (the runtime arangops ships on, installed into .tools/ above) and
# again on this machine's own Node while package.json's engines range still admits it.
node24_bin="$PWD/.tools/node24/bin"
machine_node=$(node --version)
machine_supported=$(node -p '
  const [major, minor] = process.versions.node.split(".").map(Number);
  const min = /^>=(\d+)\.(\d+)/.exec(require("./package.json").engines.node);
  Boolean(min) && (major > +min[1] || (major === +min[1] && minor >= +min[2]))')
status=0
runs=()
run_suite() { # label, directory put first on PATH (empty: this machine's node), extra vitest arguments
  local label=$1 path_dir=$2 report=".arangops/vitest-$1.json"
  shift 2
  step "tests on Node $(PATH="$path_dir${path_dir:+:}$PATH" node --version) ($label)"
  rm -f "$report"
  PATH="$path_dir${path_dir:+:}$PATH" npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=1
  runs+=("$label=$report")
}
run_suite node24 "$node24_bin"
if [ "$machine_node" != "$("$node24_bin/node" --version)" ] && [ "$machine_supported" = true ]; then
  # The fresh-clone test (a clone, npm ci and a build: about a minute and a half) runs on the
  # shipped runtime only; everything else runs again.
  run_suite "node${machine_node#v}" "" --exclude test/fresh-clone.test.ts
fi

step "summary"
# The last line is the one CI reads: "tests: N passed, N failed, N skipped", over every run.
node --import tsx scripts/test-summary.ts "${runs[@]}" || { echo "tests: 0 passed, 1 failed, 0 skipped"; status=1; }
exit "$status"
