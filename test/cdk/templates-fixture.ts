import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { AppConfig } from '../../cdk/config/schema.ts';
import { buildApp } from '../../cdk/lib/app.ts';

type Json = Record<string, unknown>;

/** A synthesized CloudFormation template, as JSON. */
export interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: Json; DependsOn?: unknown }>;
  readonly Outputs?: Record<string, Json>;
}

/**
 * The templates of `config`, synthesized without bundling the Lambdas and without cdk-nag (tests
 * that only read templates need neither; `app-fixture.ts` synthesizes the real thing).
 */
export function templatesOf(
  config: AppConfig,
  scratch: string,
): Record<'data' | 'training' | 'serving' | 'events', Template> {
  const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  const outdir = mkdtempSync(join(scratch, 'out-'));
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] }, outdir });
  const stacks = buildApp(app, config);
  const assembly = app.synth({ validateOnSynthesis: false });
  const template = (name: string) => assembly.getStackByName(name).template as Template;
  return {
    data: template(stacks.data.stackName),
    training: template(stacks.training.stackName),
    serving: template(stacks.serving.stackName),
    events: template(stacks.events.stackName),
  };
}
