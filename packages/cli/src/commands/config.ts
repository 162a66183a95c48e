import { type ConfigSetting, configReference, exposureWarnings, INSECURE_TLS_WARNING } from '@arangops/core';
import { Command, Option } from 'commander';
import { appConfigSchema } from '../config.js';
import type { CliContext } from '../context.js';

export function configCommand(ctx: CliContext): Command {
  const config = new Command('config').description('show, check and document the configuration');

  config
    .command('show')
    .description('print the resolved configuration (flags > environment > file), secrets redacted')
    .action(() => {
      ctx.output.printJson(redact(ctx.config() as unknown as Record<string, unknown>, secretPaths()));
    });

  config
    .command('check')
    .description('validate the configuration; lists every problem with its path and exits 2')
    .action(() => {
      const { arango, exporter } = ctx.config();
      // Valid but risky: the same warnings the exporter logs at start.
      const warnings = [
        ...exposureWarnings(exporter),
        ...(arango.tls.insecure ? [INSECURE_TLS_WARNING] : []),
      ];
      if (ctx.output.json) ctx.output.printJson({ valid: true, warnings });
      else ctx.output.print(['configuration is valid', ...warnings.map((w) => `warning: ${w}`)].join('\n'));
    });

  config
    .command('reference')
    .description('every setting with its environment variable, type, default and meaning')
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action((opts: { format: 'markdown' | 'json' }) => {
      const rows = configReference(appConfigSchema);
      if (opts.format === 'json' || ctx.output.json) ctx.output.printJson(rows);
      else ctx.output.print(referenceMarkdown(rows));
    });

  return config;
}

function secretPaths(): Set<string> {
  return new Set(
    configReference(appConfigSchema)
      .filter((s) => s.secret)
      .map((s) => s.path),
  );
}

function redact(node: Record<string, unknown>, secrets: Set<string>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (secrets.has(path) && value !== undefined) out[key] = '[REDACTED]';
    else if (value && typeof value === 'object' && !Array.isArray(value))
      out[key] = redact(value as Record<string, unknown>, secrets, path);
    else out[key] = value;
  }
  return out;
}

/** The README's configuration table; a test keeps the README equal to this output. */
export function referenceMarkdown(rows: ConfigSetting[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '| setting | environment | type | default | meaning |',
    '|---|---|---|---|---|',
    ...rows.map((r) => {
      const env = [r.env, ...r.aliases].map((e) => `\`${e}\``).join(', ');
      const def = r.default === undefined ? '' : `\`${JSON.stringify(r.default)}\``;
      const meaning = `${r.description}${r.secret ? ' **Secret**: never logged.' : ''}`;
      return `| \`${r.path}\` | ${env} | ${cell(r.type)} | ${cell(def)} | ${cell(meaning)} |`;
    }),
  ];
  return lines.join('\n');
}
