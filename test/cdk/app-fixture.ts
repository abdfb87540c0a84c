import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from '../../cdk/config/default.ts';
import { deepMerge, parseConfig } from '../../cdk/config/load.ts';
import type { AppConfig } from '../../cdk/config/schema.ts';
import { buildApp } from '../../cdk/lib/app.ts';

export interface SynthesizedApp {
  readonly config: AppConfig;
  readonly app: App;
  /** Cloud assembly folder (bundled Lambdas); remove it when done. */
  readonly outdir: string;
  /** Templates by role; undefined when synth failed. */
  readonly templates?: { data: Template; training: Template; serving: Template };
  /** The synth error (cdk-nag findings fail synth through the validation plugin). */
  readonly error?: Error;
}

/** The default configuration with the optional batch workflow switched on, so tests cover it too. */
export const TEST_CONFIG = parseConfig(deepMerge(DEFAULT_CONFIG, { batch: { enabled: true } }));

/** Synthesizes the whole app once (bundling every Lambda), with the feature flags of cdk.json. */
export function synthesizeApp(config: AppConfig = TEST_CONFIG): SynthesizedApp {
  const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const app = new App({ context, outdir });
  const stacks = buildApp(app, config);
  try {
    const assembly = app.synth();
    const template = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
    return {
      config,
      app,
      outdir,
      templates: {
        data: template(stacks.data.stackName),
        training: template(stacks.training.stackName),
        serving: template(stacks.serving.stackName),
      },
    };
  } catch (error) {
    return { config, app, outdir, error: error as Error };
  }
}
