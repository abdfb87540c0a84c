/** Prefix of the jobs and upload folders the CLI creates, so they are easy to find in the console. */
export const JOB_NAME_PREFIX = 'personalize-toolkit-';

/** Job and run names: unique per second, within Personalize's 63 characters of [a-zA-Z0-9-_]. */
export function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}
