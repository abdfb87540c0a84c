import { Duration, RemovalPolicy, type Size } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RUNTIME_ENV } from '../../src/config/lambda-env.ts';
import { REPO_ROOT } from '../config/repo-root.ts';
import { RUNTIME_PROVIDED_MODULES } from './bundling-externals.ts';
import { acknowledgeNag } from './nag.ts';

export interface ProjectFunctionProps {
  /** Handler file relative to the repository root, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly logRetention: RetentionDays;
  readonly environment?: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** /tmp size. @default 512 MiB */
  readonly ephemeralStorageSize?: Size;
}

/**
 * Every Lambda of the project: Node 24 on arm64, bundled as ESM by the local esbuild (no Docker),
 * X-Ray tracing and its own log group with the configured retention.
 */
export class ProjectFunction extends NodejsFunction {
  /** `props.entry`, kept so tests can match the function with what its handler reads. */
  readonly sourceEntry: string;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: `${REPO_ROOT}${props.entry}`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      ephemeralStorageSize: props.ephemeralStorageSize,
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: { [RUNTIME_ENV.nodeOptions]: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        sourceMap: true,
        minify: true,
        mainFields: ['module', 'main'],
        externalModules: RUNTIME_PROVIDED_MODULES,
        // ESM bundles still meet CommonJS dependencies that call require().
        banner: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
      },
    });
    this.sourceEntry = props.entry;
    acknowledgeNag(this, 'IAM5', 'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"', [
      'Resource::*',
    ]);
  }
}
