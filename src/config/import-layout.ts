/**
 * Object names under the training import prefix that both the stacks (rules, IAM, state machine) and the
 * workflow Lambdas use; constants only, so the CDK app can load them without Lambda code.
 */

/** Written after the CSV files of `<importPrefix><batch>/`: starts one training run for the folder. */
export const READY_MARKER = '_READY';

/** Holds the folder of the last run that imported data; scheduled retrains rebuild the local model from it. */
export const LATEST_IMPORT_MARKER = '_LATEST';
