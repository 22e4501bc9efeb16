/**
 * The `fieldlens` command-line tool: batch work on the same core as the studio. The commands, their
 * options and help are the command table (commandTable.ts); this module parses the arguments for
 * the chosen command, handles --help / --version / --runtime and turns errors into one line on stderr.
 */
import { parseRuntimeChoice, setRuntimeChoice } from '../node/nativeRuntime.ts';
import { parseArgs } from './cliArgs.ts';
import { commandOptions, findCommand, GLOBAL_OPTIONS, helpText, VERSION } from './commandTable.ts';

/** Position of the command name: the first argument that is neither an option nor a global option's value. */
function commandPosition(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) return i;
    if (!arg.includes('=') && GLOBAL_OPTIONS.find((o) => o.name === arg.slice(2))?.value !== undefined) i++;
  }
  return -1;
}

/** Runs one command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const at = commandPosition(argv);
    const name = at < 0 ? undefined : argv[at]!;
    const command = name === undefined ? undefined : findCommand(name);
    if (name !== undefined && command === undefined && name !== 'help') throw new Error(`unknown command "${name}" (try fieldlens --help)`);
    const rest = at < 0 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
    const args = parseArgs(rest, command ? commandOptions(command) : GLOBAL_OPTIONS, command?.name ?? '');
    const runtimeOption = args.options.get('runtime');
    if (typeof runtimeOption === 'string') setRuntimeChoice(parseRuntimeChoice(runtimeOption, '--runtime'));
    if (args.options.has('version')) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || args.options.has('help')) {
      process.stdout.write(helpText());
      return name === undefined && !args.options.has('help') ? 1 : 0;
    }
    return await command.run(args);
  } catch (error) {
    process.stderr.write(`fieldlens: ${(error as Error).message}\n`);
    return 1;
  }
}
