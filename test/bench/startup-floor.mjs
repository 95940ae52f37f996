// The least a command on solflow's stack can cost at start-up: commander parses `stats --db`,
// better-sqlite3 opens the file read-only and counts the trades, cli-table3 prints the count.
// test/bench/startup.ts times it beside `solflow query stats`, so what solflow adds on top of
// Node and its fixed libraries is read off one run. Plain JavaScript, run by node as it is.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Command } = require('commander');

const program = new Command('floor').exitOverride();
program
  .command('stats')
  .requiredOption('--db <path>')
  .action(({ db }) => {
    const Database = require('better-sqlite3');
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    const { n } = conn.prepare('SELECT count(*) AS n FROM trades').get();
    conn.close();
    const Table = require('cli-table3');
    // Uncoloured, as solflow draws a table off a terminal: cli-table3's default red header loads
    // @colors/colors (~12 ms), which solflow's tables do not.
    const table = new Table({ head: ['stat', 'value'], style: { head: [], border: [] } });
    table.push(['trades', String(n)]);
    process.stdout.write(table.toString() + '\n');
  });
program.parse(process.argv);
