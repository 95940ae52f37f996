/** `solflow prune`: options and help; actions/prune.ts runs it. */
import type { Command } from 'commander';
import { DEFAULT_PRUNE_BATCH_SIZE, DEFAULT_RETENTION } from '../../core/store/prune.js';
import { withExample } from '../examples.js';
import type { PruneCliOptions } from '../actions/prune.js';
import type { CommandRegistrar } from './types.js';


const days = (s: number) => `${s / 86_400}d`;

export const registerPrune: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('prune')
    .description('delete old trades, signals and idle tokens\' metrics in short transactions (safe beside a running ingest), then give space back')
    .option('--older-than <age>', `trades older than this go ('never' keeps them)`, days(DEFAULT_RETENTION.trades!))
    .option('--signals-older-than <age>', `signals older than this go ('never' keeps them)`, days(DEFAULT_RETENTION.signals!))
    .option('--metrics-idle <age>', `token metrics not updated for this long go: tokens that went quiet ('never' keeps them)`, days(DEFAULT_RETENTION.metrics!))
    .option('--relative-to <clock>', 'count ages back from: newest = the newest block time stored (a historical database is never emptied), now = the wall clock', 'newest')
    .option('--batch-size <n>', 'most rows per delete transaction (each is also held under ~50 ms)', String(DEFAULT_PRUNE_BATCH_SIZE))
    .option('--dry-run', 'print what would be deleted; delete nothing')
    .option('--vacuum', 'afterwards rewrite the file with a full VACUUM (needs 2x the data free on disk and blocks writers while it runs: stop ingest first; never needed for files created by this version)')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: PruneCliOptions, command: Command) => {
      const verbose = command.optsWithGlobals().verbose === true;
      const { runPruneCommand } = await import('../actions/prune.js');
      setExit(await runPruneCommand({ ...opts, verbose }));
    });
  withExample(cmd, 'solflow prune --older-than 7d --dry-run');
  cmd.addHelpText(
    'after',
    '\nAges: 90s, 30m, 12h, 7d, 4w, or never. Trades without a block time are never pruned by age; a token\'s\n' +
      'row goes once its last trade is older than --older-than and no trade, signal or metric refers to it.\n' +
      'Quiet for cron: one summary line on stdout, progress on stderr only with --verbose. A second prune\n' +
      'on the same database exits 75 at once. Crontab, nightly at 03:17:\n' +
      '  17 3 * * * solflow prune --db /var/lib/solflow/solflow.db --older-than 7d\n' +
      'Exit codes: 0 done (also: nothing to prune) · 75 another prune holds the lock · 2 usage · 1 failure · 130 interrupted',
  );
};

