/** The three texts of an alert (docs/design.md §2) and their hard limits. */

/** What a notifier sends: SNS `Subject`, the `email` body, and the `sms` line. */
export interface AlertText {
  subject: string;
  message: string;
  sms: string;
}

/**
 * Longest subject, in characters. docs/design.md says "at most 100"; SNS's Publish API says subjects
 * must be "less than 100 characters long", so 99 satisfies both.
 */
export const SUBJECT_MAX = 99;

/** Longest SMS, in characters: one SMS segment of ASCII text on SNS (docs/design.md §2). */
export const SMS_MAX = 140;

/** Shortest a name gets before optional parts (top driver, link) are dropped from a text instead. */
export const MIN_NAME = 20;

/** How many drivers an email lists before pointing to the report for the rest. */
export const EMAIL_MAX_DRIVERS = 10;
