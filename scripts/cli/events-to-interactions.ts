import { S3Client } from '@aws-sdk/client-s3';
import { type Command, InvalidArgumentError } from 'commander';
import { isS3Uri, parseS3Uri } from '../../src/aws/s3-uri.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { readS3EventLog } from '../../src/event-log/s3-reader.ts';
import { eventLogToInteractions } from '../../src/event-log/to-interactions.ts';
import type { RunCommand } from './options.ts';

export interface EventsToInteractionsFlags {
  readonly log: string;
  readonly from: Bound;
  readonly to: Bound;
  readonly out: string;
}

/** A `--from`/`--to` value: a day (YYYY-MM-DD, UTC) or an ISO time, in epoch seconds. */
interface Bound {
  readonly seconds: number;
  readonly isDay: boolean;
}

export function dateBound(text: string): Bound {
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(isDay ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new InvalidArgumentError('must be a date (YYYY-MM-DD, UTC) or an ISO time (2026-12-01T08:00:00Z)');
  }
  return { seconds: Math.floor(ms / 1000), isDay };
}

/** The event log (a folder or s3://bucket/prefix) of a time range → an interactions CSV for import. */
export async function eventsToInteractions(flags: EventsToInteractionsFlags): Promise<number> {
  const from = flags.from.seconds;
  // A day as the upper bound means the whole day: `--from 2026-12-01 --to 2026-12-01` is that one day.
  const to = flags.to.isDay ? flags.to.seconds + 86_400 : flags.to.seconds;
  if (to <= from) throw new InvalidInputError([{ field: '--to', message: 'must not be before --from' }]);
  const report = await eventLogToInteractions({
    from,
    to,
    out: flags.out,
    ...(isS3Uri(flags.log)
      ? {
          reader: readS3EventLog({
            s3: new S3Client({}),
            location: parseS3Uri(flags.log, '--log'),
            from,
            to,
          }),
        }
      : { dir: flags.log }),
  });
  const rejected = Object.entries(report.rejected).filter(([, n]) => n > 0);
  process.stdout.write(
    `${report.written} interactions written to ${flags.out}` +
      `${rejected.length > 0 ? `; set aside: ${rejected.map(([why, n]) => `${n} ${why}`).join(', ')}` : ''}\n`,
  );
  for (const example of report.malformedExamples) {
    process.stderr.write(`malformed: ${example.file}:${example.line}: ${example.reason}\n`);
  }
  return EXIT_CODES.ok;
}

export function addEventsToInteractionsCommand(program: Command, run: RunCommand): void {
  program
    .command('events-to-interactions')
    .description(
      'the event log (npm start --event-log, or the Firehose prefix in S3) of a date range → interactions CSV',
    )
    .requiredOption('--log <dir|s3uri>', 'the event-log folder or s3://bucket/prefix holding dt=YYYY-MM-DD/')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC) or ISO time, included', dateBound)
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD, included) or ISO time (excluded)', dateBound)
    .requiredOption('--out <file>', 'the interactions CSV to write (schemas/interactions.json columns)')
    .action((flags: EventsToInteractionsFlags) => run(eventsToInteractions(flags)));
}
