import type { Command } from 'commander';
import { cliProgram, DEBUG_FLAG } from '../../src/cli/exit-codes.ts';
import {
  addBatchInferenceCommand,
  addBatchLocalCommand,
  addBatchSegmentCommand,
  addEventsToInteractionsCommand,
  addExportCommand,
  addReplayStreamFailuresCommand,
  addTrainCommand,
  addUploadDataCommand,
} from './commands.ts';
import type { RunCommand } from './options.ts';

/**
 * The `personalize-toolkit` program; each command hands its outcome to `run`. Usage errors throw a
 * CommanderError (commands inherit this when added) instead of exiting, so the caller picks the exit code.
 */
export function buildProgram(run: RunCommand): Command {
  const program = cliProgram('personalize-toolkit')
    .description(
      'Amazon Personalize data and batch operations, and offline batch output from the local model',
    )
    .option(...DEBUG_FLAG);
  addUploadDataCommand(program, run);
  addBatchInferenceCommand(program, run);
  addBatchSegmentCommand(program, run);
  addExportCommand(program, run);
  addBatchLocalCommand(program, run);
  addEventsToInteractionsCommand(program, run);
  addReplayStreamFailuresCommand(program, run);
  addTrainCommand(program, run);
  return program;
}
