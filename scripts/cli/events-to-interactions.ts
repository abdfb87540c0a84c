import { S3Client } from '@aws-sdk/client-s3';
import { isS3Uri, parseS3Uri } from '../../src/aws/s3-uri.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { requireInputFolder, requireOutputFile } from '../../src/cli/paths.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { readS3EventLog } from '../../src/event-log/s3-reader.ts';
import { eventLogToInteractions } from '../../src/event-log/to-interactions.ts';
import type { EventsToInteractionsFlags } from './commands.ts';

/** The event log (a folder or s3://bucket/prefix) of a time range → an interactions CSV for import. */
export async function eventsToInteractions(flags: EventsToInteractionsFlags): Promise<number> {
  const from = flags.from.seconds;
  // A day as the upper bound means the whole day: `--from 2026-12-01 --to 2026-12-01` is that one day.
  const to = flags.to.isDay ? flags.to.seconds + 86_400 : flags.to.seconds;
  if (to <= from) throw new InvalidInputError([{ field: '--to', message: 'must not be before --from' }]);
  if (!isS3Uri(flags.log)) requireInputFolder('--log', flags.log);
  requireOutputFile('--out', flags.out);
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
