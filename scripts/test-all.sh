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

step "test tools (promtool, prometheus, amtool, chromium, moto, helm, kubeconform, helm-unittest)"
bash scripts/install-test-tools.sh

step "build and type-check"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "tests"
report=.arangops/vitest-report.json
rm -f "$report"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
status=$?
set -e
# The closing line CI reads: "N passed, N failed".
# A file that fails to load has no failed test of its own; it counts as one failure.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const brokenFiles = r.testResults.filter(
    (f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"),
  ).length;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed`);
' "$report" || echo "tests: 0 passed, 1 failed"
exit "$status"
