import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's English messages ("Too small: expected number to be >=1"), for the parses whose schemas leave some
 * issues to zod's wording. zod/mini loads no locale (its default message is a bare "Invalid input"), and
 * configuring one globally would also change the messages of every other schema in the process; passing
 * this map as the parse context's `error` keeps the schemas' own messages first and only fills the gaps.
 * The English locale alone is imported: the locales namespace would pull in every language.
 */
export const englishMessages: z.core.$ZodErrorMap = en().localeError;
