/**
 * One `gat` command, declared once: its line in `gat --help`, its usage and description, its
 * options and the ones it cannot run without. defineCommand gives every command the same front
 * door: options parsed strictly before any work (a bad one is a UsageError, exit 2), the help
 * printed with exit code 2 when a required option is missing, and the rest handed over typed.
 */
import { formatHelp, parseArgs, type OptionTable, type Parsed } from '../options/args';

export type Write = (s: string) => void;

export interface GatCommand {
  /** Its line in `gat --help`. */
  readonly summary: string;
  /** `gat <command> --help`. */
  readonly help: string;
  run(argv: readonly string[], write: Write): Promise<number>;
}

/** The parsed options, with the required ones known to be there. */
export type CommandOptions<T extends OptionTable, R extends keyof T> = Parsed<T> & { [K in R]-?: NonNullable<Parsed<T>[K]> };

export interface CommandDefinition<T extends OptionTable, R extends keyof T> {
  readonly summary: string;
  readonly usage: string;
  readonly description: string;
  readonly options: T;
  /** Without one of these the command prints its help and exits with 2. */
  readonly required?: readonly R[];
  /** Arguments that are not options (the runs `gat compare` compares) are passed on instead of refused; its options are then switches or `--key=value`. */
  readonly positionals?: boolean;
  run(opts: CommandOptions<T, R>, write: Write, context: { readonly argv: readonly string[]; readonly positionals: readonly string[] }): Promise<number>;
}

export function defineCommand<T extends OptionTable, R extends keyof T = never>(def: CommandDefinition<T, R>): GatCommand {
  const help = formatHelp(def.usage, def.description, def.options);
  return {
    summary: def.summary,
    help,
    async run(argv, write) {
      const positionals = def.positionals ? argv.filter((a) => !a.startsWith('--')) : [];
      const opts = parseArgs(def.positionals ? argv.filter((a) => a.startsWith('--')) : argv, def.options);
      if ((def.required ?? []).some((k) => opts[k] === undefined)) {
        write(help + '\n');
        return 2;
      }
      return def.run(opts as CommandOptions<T, R>, write, { argv, positionals });
    },
  };
}
