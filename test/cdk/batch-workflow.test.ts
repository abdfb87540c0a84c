import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveIntrinsics } from './definition.ts';
import { TEST_CONFIG, templatesOf } from './templates-fixture.ts';

type Json = Record<string, unknown>;

function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('Batch workflow (Step Functions definition, run locally)', () => {
  let definition: Json;

  beforeAll(async () => {
    const { training } = await templatesOf(TEST_CONFIG);
    const machine = Object.values(training.Resources).find(
      (r) =>
        r.Type === 'AWS::StepFunctions::StateMachine' &&
        r.Properties?.StateMachineName === 'personalize-dev-batch',
    );
    definition = JSON.parse(resolveIntrinsics(machine!.Properties!.DefinitionString as never));
  });

  async function run(handlers: Record<string, (input: Json) => unknown>) {
    const calls: { state: string; input: Json }[] = [];
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.entries(handlers).map(([state, handle]) => [
        state,
        (input: unknown) => {
          calls.push({ state, input: input as Json });
          return handle(input as Json) as never;
        },
      ]),
    );
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(
      {},
      {
        overrides: { taskResourceLocalHandlers, waitTimeOverrides: { 'Batch job Wait': 0 } },
        context: { Execution: { Name: 'batch-1', Id: 'exec-1', StartTime: '2026-11-29T00:00:00Z' } },
      },
    );
    const ok = await execution.result.then(
      () => true,
      () => false,
    );
    return { ok, called: (state: string) => calls.filter((c) => c.state === state) };
  }

  const notifications = {
    'Notify no campaign': () => ({ MessageId: '1' }),
    'Notify batch done': () => ({ MessageId: '2' }),
    'Notify batch failed': () => ({ MessageId: '3' }),
  };

  it('notifies, naming the fix, when the campaign does not exist yet', async () => {
    // Act
    const { ok, called } = await run({
      'Describe campaign': () => {
        throw serviceError('Personalize.ResourceNotFoundException', 'Campaign not found');
      },
      'Create batch inference job': () => ({ BatchInferenceJobArn: 'job' }),
      ...notifications,
    });

    // Assess
    expect(ok).toBe(false);
    expect(called('Create batch inference job')).toHaveLength(0);
    const message = String(called('Notify no campaign')[0]!.input.Message);
    expect(message).toContain('batch-1');
    expect(message).toContain('Run training first');
  });

  it('runs the job on the live version and notifies when it is done', async () => {
    // Act
    const { ok, called } = await run({
      'Describe campaign': () => ({ Campaign: { SolutionVersionArn: 'live-version', Status: 'ACTIVE' } }),
      'Create batch inference job': () => ({ BatchInferenceJobArn: 'job-1' }),
      'Describe batch inference job': () => ({ BatchInferenceJob: { Status: 'ACTIVE' } }),
      ...notifications,
    });

    // Assess
    expect(ok).toBe(true);
    expect(called('Create batch inference job')[0]!.input).toMatchObject({
      SolutionVersionArn: 'live-version',
    });
    expect(String(called('Notify batch done')[0]!.input.Message)).toContain('job-1');
    expect(called('Notify no campaign')).toHaveLength(0);
  });
});
