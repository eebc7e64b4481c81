/**
 * Shared setup of the CDK tests: the cloud fixture loaded by the real config loader, variants of
 * it, and a synth with bundling skipped (so no esbuild run per test).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { NsmConfig } from '../../../functions/core/config/types';
import { loadConfig } from '../../../functions/wiring/load-config';
import { buildNsmApp } from '../../../infra/build-app';
import type { NsmStack } from '../../../infra/nsm-stack';
import type { NsmPipelineProps } from '../../../infra/pipeline-props';

export const CLOUD_CONFIG_FILE = resolve(import.meta.dirname, '../../fixtures/cloud.config.yaml');

export const cloudConfig: NsmConfig = await loadConfig(CLOUD_CONFIG_FILE, {});

// Distributes over unions, so `athena: AthenaLakeConfig | undefined` becomes mutable too.
type DeepMutable<T> = T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

/** A deep copy of the fixture's config with `patch` applied to it. */
export function withConfig(patch: (c: DeepMutable<NsmConfig>) => void): NsmConfig {
  const copy = structuredClone(cloudConfig) as DeepMutable<NsmConfig>;
  patch(copy);
  return copy as NsmConfig;
}

/** The context of `cdk.json` (feature flags), which the CLI passes to the app and a test must too. */
export const CDK_JSON_CONTEXT = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

/** A new App as the CLI would create it, with `context` as `-c` flags and bundling skipped. */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
}

/** The app exactly as `infra/app.ts` builds it, with `context` as `-c` flags, bundling skipped. */
export function synthApp(
  config: NsmConfig = cloudConfig,
  context: Record<string, unknown> = {},
  overrides: Partial<NsmPipelineProps> = {},
): { app: App; stack: NsmStack; template: Template } {
  const app = newApp(context);
  const stack = buildNsmApp(app, config, overrides);
  return { app, stack, template: Template.fromStack(stack) };
}

/** A CloudFormation value with intrinsics flattened to text: `{Ref: X}` → `<X>`, joins joined. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flat).join(',');
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
    if ('Fn::Sub' in o) return String(o['Fn::Sub']);
  }
  return JSON.stringify(value);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Sid?: string;
}

/** Every statement of every identity policy (IAM Policy, ManagedPolicy, Role inline policies). */
export function identityStatements(template: Template): { owner: string; statement: Statement }[] {
  const out: { owner: string; statement: Statement }[] = [];
  const add = (owner: string, doc: { Statement: Statement[] } | undefined) => {
    for (const statement of doc?.Statement ?? []) out.push({ owner, statement });
  };
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) add(id, r.Properties.PolicyDocument);
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) add(id, r.Properties.PolicyDocument);
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) add(id, p.PolicyDocument);
  }
  return out;
}

/** The statements of `roleId`'s own policies: its inline policies and the IAM Policies attached to it. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.findResources('AWS::IAM::Role')[roleId];
  const inline = ((role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** What the nightly function's description starts with (the SMS switch is a second function). */
export const NIGHTLY_DESCRIPTION = 'nsm-nightly: metrics, candidate lifts and drop alerts';

/** The nightly function: the stack's one function with its description. */
export function nightlyFunction(template: Template): { id: string; props: Record<string, any> } {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, r]) =>
    String(r.Properties.Description).startsWith(NIGHTLY_DESCRIPTION),
  );
  if (found.length !== 1) throw new Error(`expected one nightly function, found ${found.length}`);
  const [id, r] = found[0]!;
  return { id, props: r.Properties as Record<string, any> };
}

/** The only resource of `type` in the template (fails when there is not exactly one). */
export function only(template: Template, type: string): { id: string; props: Record<string, any> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, r] = found[0]!;
  return { id, props: r.Properties as Record<string, any> };
}
