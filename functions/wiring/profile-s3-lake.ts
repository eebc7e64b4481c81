/**
 * `nsm init`'s look at an S3 lake: its day folders listed, the newest days copied into a temporary
 * folder and profiled there as a local lake (profile-lake.ts). A module of its own so that a local
 * lake's `nsm init` never loads the AWS SDK.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { buildS3Client, type Env } from '../adapters/aws-clients';
import { copyS3LakeSample, listS3LakeFolders } from '../adapters/s3-lake-sample';
import { isIsoDay } from '../core/dates';
import { LakeError } from '../core/errors';
import { DEFAULT_S3_SAMPLE, type GuessedColumns, type LakeProfile, type S3SampleLimits } from '../core/init/lake-profile';
import { partitionKey, profileLocalLake } from './profile-lake';

/**
 * `profileS3Lake` with an S3 client built here from `env` (credentials, region, endpoint), so
 * that `nsm init` asks wiring for the profile and never constructs an SDK client itself.
 */
export function profileS3LakeFromEnv(
  env: Env,
  location: string,
  limits: S3SampleLimits = DEFAULT_S3_SAMPLE,
): Promise<{ profile: LakeProfile; columns: GuessedColumns }> {
  return profileS3Lake(buildS3Client(env), location, limits);
}

/**
 * Profiles the lake at `location` (s3://…) by listing its day folders and copying the newest days
 * into a temporary folder that the local profiler reads (no Athena table exists before the
 * config does). The profile's days, first and last day are the whole lake's; its counts, columns
 * and new users' events are the sample's, said in `profile.sample`.
 */
export async function profileS3Lake(
  client: S3Client,
  location: string,
  limits: S3SampleLimits = DEFAULT_S3_SAMPLE,
): Promise<{ profile: LakeProfile; columns: GuessedColumns }> {
  const folders = await listS3LakeFolders(client, location);
  const partition = partitionKey(location, folders);
  const days = folders
    .filter((f) => f.startsWith(`${partition}=`))
    .map((f) => f.slice(partition.length + 1))
    .sort();
  const bad = days.find((d) => !isIsoDay(d));
  if (bad !== undefined) {
    throw new LakeError(location, `partition ${partition}=${bad}: nsm reads day partitions named ${partition}=YYYY-MM-DD`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'nsm-init-s3-'));
  try {
    const sample = await copyS3LakeSample(client, location, partition, days.slice(-limits.days), dir, limits.bytes);
    if (sample.days.length === 0) {
      throw new LakeError(
        location,
        `no data files in the newest ${Math.min(limits.days, days.length)} day folders (${partition}=…/); --sample-days reaches further back`,
      );
    }
    const { profile, columns } = await profileLocalLake(dir, location);
    return {
      profile: {
        ...profile,
        firstDay: days[0]!,
        lastDay: days[days.length - 1]!,
        days: days.length,
        sample: {
          firstDay: sample.days[0]!,
          lastDay: sample.days[sample.days.length - 1]!,
          days: sample.days.length,
          files: sample.files,
          bytes: sample.bytes,
        },
      },
      columns,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
