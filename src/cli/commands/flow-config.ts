/** `solflow flow-config`: the flow engine's thresholds in force, as JSON to copy and edit. */
import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { withExample } from '../examples.js';
import type { CommandRegistrar } from './types.js';

export const registerFlowConfig: CommandRegistrar = (program: Command, setExit) => {
  const cmd = program
    .command('flow-config')
    .description('print the bot-flag, window and signal thresholds in force (defaults merged with --flow-config FILE) as JSON')
    .option('--flow-config <file>', 'a JSON file with any subset of these keys (env SOLFLOW_FLOW_CONFIG)')
    .action(async (opts: { flowConfig?: string }) => {
      const [{ mergeOptions }, { loadFlowConfig }] = await Promise.all([import('../../core/flow/options.js'), import('../flow-config-option.js')]);
      const { blockedMints: _blocked, ...effective } = mergeOptions(loadFlowConfig(opts.flowConfig));
      process.stdout.write(JSON.stringify(effective, null, 2) + '\n');
      setExit(EXIT.ok);
    });
  withExample(cmd, 'solflow flow-config > flow.json   # edit, then: solflow backfill … --flow-config flow.json');
};
