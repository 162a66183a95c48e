// Builds data/metrics.json from the metrics catalogue in test/data/ and the two real single-server
// /_admin/metrics/v2 recordings: types as the server really emits them, histogram bucket
// bounds, metric-specific label sets, and which rocksdb_* families 3.11 writes unlabelled.
// Usage: node scripts/build-metrics-data.mjs [folder holding the two JSON files; default test/data]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ref = process.argv[2] ?? fileURLToPath(new URL('../../../test/data', import.meta.url));
const catalogue = JSON.parse(readFileSync(`${ref}/arangodb-metrics.json`, 'utf8'));
const examples = JSON.parse(readFileSync(`${ref}/arangodb-http-examples.json`, 'utf8'));

function parseBody(id) {
  const body = examples.find((e) => e.id === id).responseBody;
  const families = new Map();
  const help = new Map();
  let current;
  for (const line of body.split('\n')) {
    const h = /^# HELP (\S+) (.*)$/.exec(line);
    if (h) help.set(h[1], h[2]);
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      current = {
        type: type[2],
        help: help.get(type[1]),
        buckets: [],
        labelSets: new Set(),
        unlabelled: false,
      };
      families.set(type[1], current);
      continue;
    }
    if (!line || line.startsWith('#') || !current) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s/.exec(line);
    if (!m) continue;
    if (m[2] === undefined) current.unlabelled = true;
    const labels = (m[2] ?? '').split(',').filter((l) => l && !/^(role|shortname)=/.test(l));
    const le = labels.find((l) => l.startsWith('le='));
    if (le && !current.buckets.includes(le.slice(4, -1))) current.buckets.push(le.slice(4, -1));
    const rest = labels.filter((l) => !l.startsWith('le=')).join(',');
    if (rest) current.labelSets.add(rest);
  }
  return families;
}

const real = { 3.11: parseBody('3.11/RestAdminMetricsV2'), 3.12: parseBody('3.12/RestAdminMetricsV2') };

const out = catalogue.map((m) => {
  const entry = {
    name: m.name,
    type: m.type,
    help: m.help.replace(/\s+/g, ' ').trim(),
    exposedBy: m.exposedBy,
    introducedIn: m.introducedIn,
    documentedIn: m.documentedIn,
  };
  for (const line of ['3.11', '3.12']) {
    const f = real[line].get(m.name);
    if (!f) continue;
    entry[`single${line.replace('.', '')}`] = {
      type: f.type,
      help: f.help,
      ...(f.buckets.length ? { buckets: f.buckets } : {}),
      ...(f.labelSets.size ? { labelSets: [...f.labelSets] } : {}),
      ...(f.unlabelled ? { unlabelled: true } : {}),
    };
  }
  return entry;
});

writeFileSync(new URL('../data/metrics.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`wrote ${out.length} metrics`);
