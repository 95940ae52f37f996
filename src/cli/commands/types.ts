import type { Command } from 'commander';

/**
 * Each subcommand's spec (options, help, example) adds itself to the program; its action
 * imports the code that runs it only then, so `solflow --help` loads none of it. The action's
 * resolved number is the exit code.
 */
export type CommandRegistrar = (program: Command, setExit: (code: number) => void) => void;
