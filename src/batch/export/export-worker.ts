/** Worker thread of `exportBatchOutput`: parses batches of whole lines into encoded table rows. */
import { parentPort } from 'node:worker_threads';
import type { OutputKind } from './output-line.ts';
import { type ExportFormat, parseBatch } from './parse-batch.ts';

export interface ExportTask {
  readonly batch: Uint8Array;
  readonly kind: OutputKind | undefined;
  readonly format: ExportFormat;
}

parentPort?.on('message', ({ seq, task }: { seq: number; task: ExportTask }) => {
  try {
    const result = parseBatch(task.batch, task.kind, task.format);
    const transfer = result.payload ? [result.payload.bytes.buffer as ArrayBuffer] : [];
    parentPort!.postMessage({ seq, result }, transfer);
  } catch (error) {
    parentPort!.postMessage({ seq, error: error instanceof Error ? error.message : String(error) });
  }
});
