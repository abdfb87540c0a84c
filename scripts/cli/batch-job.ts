/** What batch-inference and batch-segment share: the job flags, and input → job → download → export. */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatOf } from '../../src/batch/export/export.ts';
import { checkBatchInputFile } from '../../src/batch/jobs/batch-input.ts';
import type { JobRecipe } from '../../src/batch/jobs/batch-limits.ts';
import { runBatchJob } from '../../src/batch/jobs/job-runner.ts';
import { countOutputErrors, reportOutputErrors } from '../../src/batch/jobs/output-errors.ts';
import { resolveBatchResources } from '../../src/batch/jobs/resources.ts';
import { EXIT_CODES } from '../../src/cli/exit-codes.ts';
import { requireOutputFile, requireOutputFolder } from '../../src/cli/paths.ts';
import { awsClients } from './aws-clients.ts';
import { exportOutput } from './export.ts';
import { JOB_NAME_PREFIX, stamp } from './names.ts';
import { statusPrinter, uploadProgress } from './printers.ts';

export interface JobFlags {
  readonly numResults: number;
  readonly filter?: string;
  readonly filterValues?: Record<string, string>;
  readonly solutionVersion?: string;
  readonly solution?: string;
  readonly stack: string;
  readonly roleArn?: string;
  readonly inputPrefix?: string;
  readonly outputPrefix?: string;
  readonly jobName?: string;
  readonly output: string;
  readonly export?: string;
  readonly errors?: string;
  readonly quiet?: boolean;
  /** A ready JSON-lines input, checked against the limits instead of built. */
  readonly input?: string;
}

/**
 * Checks `--input` (or builds the input with `buildInput`), uploads it, runs the job until it ends, downloads
 * the output and, with `--export`, exports it.
 */
export async function runJob(
  kind: 'inference' | 'segment',
  recipe: JobRecipe,
  flags: JobFlags,
  buildInput: (path: string) => Promise<{ lines: number }>,
): Promise<number> {
  // The export comes after the job (minutes to hours, billed): its format and paths are checked now.
  if (flags.export !== undefined) formatOf(flags.export, '--export');
  requireOutputFolder('--output', flags.output);
  await mkdir(flags.output, { recursive: true });
  // Once --output exists, as --export may name a file inside it.
  if (flags.export !== undefined) requireOutputFile('--export', flags.export);
  if (flags.errors !== undefined) requireOutputFile('--errors', flags.errors);
  const jobName = flags.jobName ?? `${JOB_NAME_PREFIX}${kind}-${stamp()}`;
  const inputFile = flags.input ?? join(flags.output, `${jobName}.jsonl`);
  const { lines } = flags.input
    ? await checkBatchInputFile(flags.input, recipe)
    : await buildInput(inputFile);
  process.stderr.write(`${lines} input lines in ${inputFile}\n`);
  const aws = awsClients();
  const resources = await resolveBatchResources(aws, flags.stack, recipe, {
    roleArn: flags.roleArn,
    inputPrefix: flags.inputPrefix,
    outputPrefix: flags.outputPrefix,
    solutionVersionArn: flags.solutionVersion,
    solutionArn: flags.solution,
  });
  const show = uploadProgress(Boolean(flags.quiet));
  const result = await runBatchJob(aws, {
    kind,
    jobName,
    inputFile,
    ...resources,
    numResults: flags.numResults,
    filterArn: flags.filter,
    outputDir: flags.output,
    onUpload: (sent, total) => show(basename(inputFile), sent, total),
    onStatus: statusPrinter(`batch ${kind} job ${jobName}`, Boolean(flags.quiet)),
  });
  process.stdout.write(`job ${result.jobArn} ACTIVE; output ${result.output} → ${result.outputFile}\n`);
  reportOutputErrors(result.outputFile, await countOutputErrors(result.outputFile), (line) =>
    process.stderr.write(line),
  );
  if (flags.export === undefined) return EXIT_CODES.ok;
  return exportOutput({
    input: result.outputFile,
    output: flags.export,
    errors: flags.errors,
    quiet: flags.quiet,
  });
}
