import { Template } from 'aws-cdk-lib/assertions';
import type { AppConfig } from '../../cdk/config/schema.ts';
import { type SynthesizedFunction, synthesized, TEST_CONFIG } from './templates-fixture.ts';

export interface SynthesizedApp {
  readonly config: AppConfig;
  /** Templates by role, for aws-cdk-lib's assertions; undefined when synth failed. */
  readonly templates?: { data: Template; training: Template; serving: Template; events: Template };
  readonly functions: readonly SynthesizedFunction[];
  /** The synth error's message (cdk-nag findings fail synth through the validation plugin). */
  readonly error?: string;
}

/** The app synthesized with cdk-nag (once per test run and configuration: see templates-fixture.ts). */
export async function synthesizeApp(config: AppConfig = TEST_CONFIG): Promise<SynthesizedApp> {
  const result = await synthesized(config);
  const templates = result.templates && {
    data: Template.fromJSON(result.templates.data),
    training: Template.fromJSON(result.templates.training),
    serving: Template.fromJSON(result.templates.serving),
    events: Template.fromJSON(result.templates.events),
  };
  return {
    config,
    ...(templates && { templates }),
    functions: result.functions ?? [],
    ...(result.error !== undefined && { error: result.error }),
  };
}
