/**
 * `npm run generate-data -- --out <dir> --interactions <n> [--users <n>] [--items <n>] [--seed <n>] [--days <n>]
 * [--end <epoch-seconds>] [--quiet]`
 * Writes a synthetic users.csv, items.csv and interactions.csv in the shipped schemas' format.
 */
import { InvalidArgumentError } from 'commander';
import { cliProgram, DEBUG_FLAG, runCli } from '../src/cli/exit-codes.ts';
import { requireOutputFolder } from '../src/cli/paths.ts';
import { createProgress } from '../src/cli/progress.ts';
import { generateDataset } from '../src/datagen/index.ts';
import { withFlagNames } from './cli/options.ts';

interface CliOptions {
  out: string;
  interactions: number;
  users?: number;
  items?: number;
  seed: number;
  days?: number;
  end?: number;
  quiet?: boolean;
}

/** Draw a bar only when generation takes long enough to watch. */
const PROGRESS_FROM = 500_000;

/** Option names of the library mapped back to the flags the user typed. */
const FLAGS: Record<string, string> = {
  outDir: '--out',
  interactions: '--interactions',
  users: '--users',
  items: '--items',
  seed: '--seed',
  days: '--days',
  endTimestamp: '--end',
};

function integer(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = cliProgram('generate-data')
    .description(
      'Generate a synthetic, seeded dataset (users, items, interactions) in Personalize CSV format',
    )
    .requiredOption('--out <dir>', 'folder for users.csv, items.csv and interactions.csv')
    .requiredOption('--interactions <n>', 'number of interaction rows (1 to 100,000,000)', integer)
    .option('--users <n>', 'number of users (default: interactions / 20, at least 10)', integer)
    .option('--items <n>', 'number of items (default: interactions / 50, at least 24)', integer)
    .option('--seed <n>', 'random seed; the same seed gives the same files', integer, 42)
    .option('--days <n>', 'length of the simulated period in days (default: 180)', integer)
    .option('--end <epoch-seconds>', 'end of the simulated period (default: 1735689600, 2025-01-01)', integer)
    .option('--quiet', 'no progress bar')
    .option(...DEBUG_FLAG)
    .parse(argv, { from: 'user' });
  const options = program.opts<CliOptions>();
  requireOutputFolder('--out', options.out);
  const started = Date.now();
  const { files, counts } = await withFlagNames(FLAGS, () =>
    generateDataset({
      outDir: options.out,
      interactions: options.interactions,
      users: options.users,
      items: options.items,
      seed: options.seed,
      days: options.days,
      endTimestamp: options.end,
      progress: createProgress({ quiet: options.quiet || options.interactions < PROGRESS_FROM }),
    }),
  );
  const { view, click, purchase } = counts.events;
  process.stdout.write(
    [
      `generated in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${options.seed})`,
      `  ${files.users}: ${counts.users} users`,
      `  ${files.items}: ${counts.items} items (${counts.coldItems} without interactions)`,
      `  ${files.interactions}: ${counts.interactions} interactions (${view} view, ${click} click, ${purchase} purchase)`,
      '',
    ].join('\n'),
  );
  return 0;
}

await runCli('generate-data', () => main(process.argv.slice(2)));
