/** The AWS SDK's documented switch for its Node-version notice (aws/aws-sdk-js-v3#7983). */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * On Node < 22 the AWS SDK prints, once per process, an 8-line `NodeVersionSupportWarning` that its releases
 * after the first week of January 2027 need Node 22 (@aws-sdk/core's emitWarningIfUnsupportedVersion). The
 * commands support Node ≥ 20.19 and promise one line on stderr, so they turn that notice off with its switch
 * (read when the first client is built), unless the caller set the switch (`false` brings the notice back).
 * Only that notice: every other warning still prints.
 */
export function turnOffSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (!env[SDK_NODE_WARNING_SWITCH]) env[SDK_NODE_WARNING_SWITCH] = 'true';
}
