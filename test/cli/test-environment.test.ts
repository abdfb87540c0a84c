import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

// test/global-setup.ts and test/setup.ts: what `npm test` leaves behind and prints.
describe('The test environment', () => {
  it('puts every temporary folder, child processes included, under one folder removed after the run', () => {
    expect(basename(tmpdir())).toMatch(/^personalize-toolkit-tests-/);
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())']);
    expect(child.toString()).toBe(tmpdir());
  });

  it("turns off the AWS SDK's Node-version warning with its documented switch", async () => {
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const { S3Client } = await import('@aws-sdk/client-s3'); new S3Client({ region: 'us-east-1' });",
        ],
        { encoding: 'utf8', env },
      ).stderr;
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...without } = process.env;

    expect(run(process.env)).not.toContain('NodeVersionSupportWarning');
    // The same process without the switch warns on Node 20 (on Node 22+ there is nothing to warn about).
    expect(run(without).includes('NodeVersionSupportWarning')).toBe(
      Number(process.versions.node.split('.')[0]) < 22,
    );
  });
});
