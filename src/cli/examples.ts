import type { Command } from 'commander';

/** One example per subcommand: shown in its own --help and listed in `solflow --help`. */
const EXAMPLES = new WeakMap<Command, string>();

export function withExample(cmd: Command, example: string): Command {
  EXAMPLES.set(cmd, example);
  return cmd.addHelpText('after', `\nExample:\n  $ ${example}`);
}

export function exampleOf(cmd: Command): string | undefined {
  return EXAMPLES.get(cmd);
}
