import { App } from 'aws-cdk-lib';
import { InvalidInputError } from '../../src/errors.ts';
import { type LoadConfigOptions, loadConfig } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import { buildApp } from '../lib/app.ts';

/**
 * A configuration mistake is the user's to fix, not a bug: one line naming each bad key and its limit, exit
 * 1, no stack trace. Anything else still throws with its stack.
 */
function loadConfigOrExit(options: LoadConfigOptions): AppConfig {
  try {
    return loadConfig(options);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    process.stderr.write(`${error.message.replaceAll('\n', ' ')}\n`);
    process.exit(1);
  }
}

// `npx cdk synth` (default dev config), `-c stage=prod`, `-c config=path/to/overrides.json`.
const app = new App();
const stage = app.node.tryGetContext('stage') as string | undefined;
const file = app.node.tryGetContext('config') as string | undefined;
buildApp(app, loadConfigOrExit({ stage, file }));
app.synth();
