import { basename } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { openObject } from '../../src/aws/s3-transfer.ts';
import { isS3Uri, parseS3Uri } from '../../src/aws/s3-uri.ts';
import { exportBatchOutput, formatOf, openLocalInput } from '../../src/batch/export/export.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { requireInputFile, requireOutputFile } from '../../src/cli/paths.ts';
import { createProgress } from '../../src/cli/progress.ts';

export interface ExportFlags {
  readonly input: string;
  readonly output: string;
  readonly errors?: string;
  readonly threads?: number;
  readonly quiet?: boolean;
}

/** Batch output (a file or an S3 object) → CSV or Parquet; prints the line, row and set-aside counts. */
export async function exportOutput(flags: ExportFlags): Promise<number> {
  const format = formatOf(flags.output, '--output');
  if (!isS3Uri(flags.input)) requireInputFile('--input', flags.input);
  requireOutputFile('--output', flags.output);
  if (flags.errors !== undefined) requireOutputFile('--errors', flags.errors);
  const input = isS3Uri(flags.input)
    ? await openObject(new S3Client({}), parseS3Uri(flags.input, 'input'))
    : openLocalInput(flags.input);
  const errorsOutput = flags.errors ?? `${flags.output}.errors.jsonl`;
  const progress = createProgress({ quiet: flags.quiet });
  progress.start(`export ${basename(flags.input)}`, 0);
  const summary = await exportBatchOutput({
    input,
    inputName: flags.input,
    output: flags.output,
    format,
    errorsOutput,
    threads: flags.threads,
    onProgress: (bytes) => progress.update(Math.round(bytes / 1e6)),
  });
  progress.stop();
  process.stdout.write(
    `${summary.lines} lines → ${summary.rows} rows in ${flags.output}; ${summary.rejected} lines set aside in ${errorsOutput}` +
      `${summary.rejected > 0 ? ` (${JSON.stringify(summary.rejectedByReason)})` : ''}\n`,
  );
  return EXIT_CODES.ok;
}
