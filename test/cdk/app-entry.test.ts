import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'cdk-entry-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the app entry as `cdk synth` does: a fresh process, `-c` values in CDK_CONTEXT_JSON. */
async function synth(context: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'cdk/bin/app.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: join(scratch, 'out') },
      },
    );
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('cdk/bin/app.ts', () => {
  it('prints a configuration mistake as one line naming the key, without a stack trace', async () => {
    const result = await synth({ stage: 'Bad_Stage!' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('config.stage: 1..10 lower-case letters or digits\n');
  });

  it('prints an unreadable configuration file as one line naming it', async () => {
    const file = join(scratch, 'nope.json');
    const result = await synth({ config: file });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`config: cannot read ${file}`);
  });

  it('prints every bad key of a configuration file on the one line', async () => {
    const file = join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify({ logRetentionDays: 8, training: { metricGate: { tolerance: 2 } } }));
    const result = await synth({ config: file });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('config.training.metricGate.tolerance: ');
    expect(result.stderr).toContain('; config.logRetentionDays: ');
  });
});
