import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, parseConfig } from '../../cdk/config/load.ts';
import type { AppConfig } from '../../cdk/config/schema.ts';
import { type SynthesizedFunction, synthesized } from './templates-fixture.ts';

export interface SynthesizedApp {
  readonly config: AppConfig;
  /** Templates by role, for aws-cdk-lib's assertions; undefined when synth failed. */
  readonly templates?: { data: Template; training: Template; serving: Template };
  readonly functions: readonly SynthesizedFunction[];
  /** The synth error's message (cdk-nag findings fail synth through the validation plugin). */
  readonly error?: string;
}

/** The default configuration with the optional batch workflow switched on, so tests cover it too. */
export const TEST_CONFIG = parseConfig(deepMerge(DEFAULT_CONFIG, { batch: { enabled: true } }));

/** The app synthesized with cdk-nag (once per test run and configuration: see templates-fixture.ts). */
export function synthesizeApp(config: AppConfig = TEST_CONFIG): SynthesizedApp {
  const result = synthesized(config);
  const templates = result.templates && {
    data: Template.fromJSON(result.templates.data),
    training: Template.fromJSON(result.templates.training),
    serving: Template.fromJSON(result.templates.serving),
  };
  return {
    config,
    ...(templates && { templates }),
    functions: result.functions ?? [],
    ...(result.error !== undefined && { error: result.error }),
  };
}
