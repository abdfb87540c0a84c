import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cdk/config/load.ts';
import { planImport, resolveRunInput, type WorkflowInput } from '../../lambdas/workflow/import-plan.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

/** The input each EventBridge schedule of the training stack sends, as synthesized. */
function scheduleInputs(training: Template): Record<string, WorkflowInput> {
  return Object.fromEntries(
    Object.entries(training.Resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
      .map(([id, r]) => [
        id,
        JSON.parse((r.Properties!['Target'] as { Input: string }).Input) as WorkflowInput,
      ]),
  );
}

describe('The weekly retrain, with the input the schedule really sends', () => {
  let inputs: Record<string, WorkflowInput>;
  beforeAll(async () => {
    inputs = scheduleInputs((await templatesOf(loadConfig())).training);
  }, 120_000);

  it('retrains on the last imported folder and imports nothing', async () => {
    const retrain = Object.entries(inputs).find(([id]) => id.startsWith('RetrainSchedule'))?.[1];
    expect(retrain).toBeDefined();
    const config = loadConfig();
    // What the validate step does with it: find the folder, then plan.
    const input = await resolveRunInput(
      retrain!,
      config.training.importPrefix,
      async () => 'import/20261201/',
    );
    const plan = planImport(
      input,
      ['import/20261201/interactions.csv', 'import/20261201/items.csv'],
      {
        importMode: config.training.importMode,
        jobNamePrefix: 'personalize-dev-',
        datasetArns: { interactions: 'arn:i', items: 'arn:it' },
        bulkImported: new Set(['interactions', 'items'] as const),
      },
      'bucket',
      new Date(),
    );
    expect(plan.imports).toEqual([]);
    expect(plan.files).toEqual({
      interactions: 'import/20261201/interactions.csv',
      items: 'import/20261201/items.csv',
    });
  });
});
