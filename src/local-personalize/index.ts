/**
 * Local Amazon Personalize: the control plane (awsJson1_1) over the local engine, with its state in a folder.
 * `openLocalPersonalize` builds it; `dispatchControlPlane` answers HTTP requests; `controlPlaneTargets` lets
 * the runtime endpoint serve its campaigns and trackers.
 */
import { join } from 'node:path';
import type { AccountConfig } from './arn.ts';
import { LocalPersonalize, type Operation } from './control-plane.ts';
import { BATCH_OPERATIONS } from './operations/batch.ts';
import { DATASET_OPERATIONS } from './operations/datasets.ts';
import { SERVING_OPERATIONS } from './operations/serving.ts';
import { SOLUTION_OPERATIONS } from './operations/solutions.ts';
import { TAG_OPERATIONS } from './operations/tags.ts';
import { recoverRecord } from './recover.ts';
import type { ResourceRecord } from './resources.ts';
import { EndpointS3, FolderS3 } from './s3-objects.ts';

export { DEFAULT_ACCOUNT } from './arn.ts';
export { LocalPersonalize } from './control-plane.ts';
export { adoptDemoEngine, type DemoEngine } from './demo.ts';
export { dispatchControlPlane, TARGET_PREFIX } from './dispatch.ts';
export { RECIPES } from './recipes.ts';
export type { ResourceRecord } from './resources.ts';
export { EndpointS3, FolderS3, type S3Objects } from './s3-objects.ts';
export { controlPlaneTargets } from './wire-targets.ts';

/** Every control-plane operation served, by name. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  ...DATASET_OPERATIONS,
  ...SOLUTION_OPERATIONS,
  ...SERVING_OPERATIONS,
  ...BATCH_OPERATIONS,
  ...TAG_OPERATIONS,
};

export interface OpenLocalPersonalizeOptions {
  /** @default '.local/personalize' */
  readonly stateDir?: string;
  /** Folder `s3://bucket/key` maps to (`<s3Dir>/bucket/key`). @default '.local/s3' */
  readonly s3Dir?: string;
  /** An S3 API endpoint to use instead of the folder (moto, LocalStack, MinIO). */
  readonly s3Endpoint?: string;
  /** Duration of each status step. @default 0 */
  readonly latencyMs?: number;
  readonly account?: AccountConfig;
  /** @default true */
  readonly trainInWorker?: boolean;
  readonly onTransition?: (record: ResourceRecord, status: string) => void;
}

export function openLocalPersonalize(options: OpenLocalPersonalizeOptions = {}): Promise<LocalPersonalize> {
  const stateDir = options.stateDir ?? '.local/personalize';
  const s3 =
    options.s3Endpoint === undefined
      ? new FolderS3(options.s3Dir ?? '.local/s3')
      : new EndpointS3(options.s3Endpoint, join(stateDir, 'tmp'), options.account?.region);
  return LocalPersonalize.open(
    {
      stateDir,
      s3,
      ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
      ...(options.account && { account: options.account }),
      ...(options.trainInWorker !== undefined && { trainInWorker: options.trainInWorker }),
      ...(options.onTransition && { onTransition: options.onTransition }),
    },
    OPERATIONS,
    recoverRecord,
  );
}
