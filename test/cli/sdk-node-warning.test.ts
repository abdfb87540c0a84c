import { describe, expect, it } from 'vitest';
import { SDK_NODE_WARNING_SWITCH, turnOffSdkNodeVersionWarning } from '../../src/cli/sdk-node-warning.ts';

describe('Function: turnOffSdkNodeVersionWarning', () => {
  it.each([
    ['unset', {}, 'true'],
    ['empty', { [SDK_NODE_WARNING_SWITCH]: '' }, 'true'],
    ['set to false by the caller', { [SDK_NODE_WARNING_SWITCH]: 'false' }, 'false'],
  ])('switch %s → %s', (_, env: NodeJS.ProcessEnv, expected) => {
    turnOffSdkNodeVersionWarning(env);

    expect(env).toEqual({ [SDK_NODE_WARNING_SWITCH]: expected });
  });
});
