/**
 * Rules of single config values that more than the config loader applies: the loader
 * (`./rules.ts`), the CDK stack (infra/pipeline-settings.ts, for a config built in code) and the
 * SNS notifier (a topic from NSM_SNS_TOPIC_ARN never passes through the loader). Each returns the
 * problem as a message without the field's name, or `undefined` when the value is fine, so every
 * caller says the same thing about the same mistake.
 */
import { quoted } from './messages';

/** Athena's own naming rule for workgroups; a workgroup never appears inside SQL text. */
export const WORKGROUP_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164, which SNS requires for SMS. */
export const E164_PATTERN = /^\+[1-9][0-9]{1,14}$/;
/** A standard SNS topic (FIFO topics are not supported: publishing to them needs a message group). */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/;
/** Athena's smallest BytesScannedCutoffPerQuery is 10 MB. */
export const MIN_CUTOFF_GB = 0.01;

export function workgroupProblem(workgroup: string): string | undefined {
  if (WORKGROUP_PATTERN.test(workgroup)) return undefined;
  return `${quoted(workgroup)} is not an Athena workgroup name (1-128 letters, digits, '.', '_' and '-')`;
}

export function emailProblem(address: string): string | undefined {
  return EMAIL_PATTERN.test(address) ? undefined : `${quoted(address)} is not an email address`;
}

export function phoneProblem(number: string): string | undefined {
  return E164_PATTERN.test(number) ? undefined : `${quoted(number)} is not a phone number in E.164 form (such as +15555550100)`;
}

export function snsTopicArnProblem(arn: string): string | undefined {
  if (SNS_TOPIC_ARN_PATTERN.test(arn)) return undefined;
  return `${quoted(arn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`;
}

export function scanCutoffProblem(gb: number): string | undefined {
  return gb >= MIN_CUTOFF_GB ? undefined : `must be >= ${MIN_CUTOFF_GB} (Athena's minimum is 10 MB)`;
}

/** A valid IANA zone name. `Intl` knows the zones; UTC offsets are not zones (EventBridge rejects them). */
export function timezoneProblem(timeZone: string): string | undefined {
  if (timeZone.trim() === '') return 'must not be empty';
  const bad = `unknown time zone ${quoted(timeZone)} (use an IANA name such as UTC or Europe/Berlin)`;
  if (/^[+-]/.test(timeZone)) return bad;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return bad;
  }
}
