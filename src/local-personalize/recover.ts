import { CREATE_STATUSES, DELETING, type LocalPersonalize, PENDING } from './control-plane.ts';
import type { ResourceRecord } from './resources.ts';

const INTERRUPTED = 'the local server stopped before this finished';

/**
 * What a restart does with work a previous run left unfinished: deletions and plain creations continue, jobs
 * and trainings (whose process is gone) fail with a reason, stopping versions count as stopped.
 */
export function recoverRecord(plane: LocalPersonalize, record: ResourceRecord): void {
  if (DELETING.has(record.status)) {
    plane.destroy(record);
    return;
  }
  for (const key of ['latestCampaignUpdate', 'latestDatasetUpdate']) {
    const update = record.props[key] as { status: string; failureReason?: string } | undefined;
    if (update && PENDING.has(update.status)) {
      update.status = CREATE_STATUSES.failed;
      update.failureReason = INTERRUPTED;
      plane.store.touch(record);
    }
  }
  if (record.status === 'CREATE STOPPING') {
    plane.setStatus(record, 'CREATE STOPPED');
    return;
  }
  if (!PENDING.has(record.status)) return;
  switch (record.kind) {
    case 'datasetImportJob':
    case 'solutionVersion':
    case 'batchInferenceJob':
    case 'batchSegmentJob':
      plane.setStatus(record, CREATE_STATUSES.failed, INTERRUPTED);
      return;
    case 'campaign':
      plane.advance(record, async () => {
        const version = plane.lookup('solutionVersion', String(record.props.solutionVersionArn));
        plane.requireActive(version);
        await plane.served.recommender(version);
      });
      return;
    default:
      record.status = 'CREATE PENDING';
      plane.advance(record);
  }
}
