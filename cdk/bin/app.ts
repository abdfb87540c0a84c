import { App } from 'aws-cdk-lib';
import { loadConfig } from '../config/load.ts';
import { buildApp } from '../lib/app.ts';

// `npx cdk synth` (default dev config), `-c stage=prod`, `-c config=path/to/overrides.json`.
const app = new App();
const stage = app.node.tryGetContext('stage') as string | undefined;
const file = app.node.tryGetContext('config') as string | undefined;
buildApp(app, loadConfig({ stage, file }));
app.synth();
