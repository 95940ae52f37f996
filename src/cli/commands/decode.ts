/** `solflow decode <inputs...>`: options and help; actions/decode.ts decodes. */
import { withExample } from '../examples.js';
import type { DecodeOpts } from '../actions/decode.js';
import type { CommandRegistrar } from './types.js';

export const registerDecode: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('decode')
    .description('print the trades found in recorded transactions (files, directories, JSON Lines) or signatures')
    .argument('<inputs...>', 'files, directories of *.json, .jsonl files, or transaction signatures (with --rpc)')
    .option('--json', 'one JSON object per line per trade')
    .option('-u, --rpc <url>', 'RPC endpoint or mainnet-beta|devnet|testnet|localhost, for signatures (env SOLFLOW_RPC_URL)')
    .option('--labels <file>', 'extra labels file merged over the shipped one (env SOLFLOW_LABELS)', process.env.SOLFLOW_LABELS)
    .action(async (inputs: string[], opts: DecodeOpts) => {
      setExit(await (await import('../actions/decode.js')).runDecode(inputs, opts));
    });
  withExample(cmd, 'solflow decode fixtures/tx --json | head');
};

