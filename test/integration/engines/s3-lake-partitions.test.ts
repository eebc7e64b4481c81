/**
 * s3LakePartitionExists with the real @aws-sdk/client-s3 against moto on loopback: a partition
 * with data, one with only an empty file, one with only `_SUCCESS`, one missing, and a day whose
 * folder name is a prefix of another's.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildS3Client } from '../../../functions/adapters/aws-clients';
import { s3LakePartitionExists } from '../../../functions/adapters/s3-lake-partitions';
import { LakeError } from '../../../functions/core/errors';
import { openPipeline } from '../../../functions/wiring/open-pipeline';
import { lakeConfig, testConfig } from '../../support/config';
import { createBuckets, MOTO_CREDENTIALS, motoEndpoint, uniqueSuffix } from '../../support/engines/services';
import { tempDir } from '../../support/lake';

const BUCKET = `acme-events-${uniqueSuffix()}`;
let client: S3Client;

beforeAll(async () => {
  client = buildS3Client({
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_S3: motoEndpoint(),
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  });
  client.config.credentials = async () => MOTO_CREDENTIALS;
  await createBuckets(client, [BUCKET]);
  const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  await put('events/v1/day=2024-01-01/part-0.json', '{"user_id":"a"}\n');
  await put('events/v1/day=2024-01-02/part-0.json', '');
  await put('events/v1/day=2024-01-03/_SUCCESS', '');
  await put('events/v1/day=2024-01-10/part-0.json', '{"user_id":"b"}\n');
  await put('day=2024-01-05/part-0.json', '{"user_id":"c"}\n');
});
afterAll(async () => {
  client?.destroy();
});

describe('s3LakePartitionExists', () => {
  it('is true for a partition with any object (data, an empty file, only _SUCCESS), false for a missing one', async () => {
    const exists = s3LakePartitionExists(() => client, `s3://${BUCKET}/events/v1/`, 'day');
    const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
    expect(await Promise.all(days.map(exists))).toEqual([true, true, true, false, false]);
  });

  it('does not take day=2024-01-10 for day=2024-01-1, and lists below the bucket root', async () => {
    expect(await s3LakePartitionExists(() => client, `s3://${BUCKET}/events/v1`, 'day')('2024-01-1')).toBe(false);
    expect(await s3LakePartitionExists(() => client, `s3://${BUCKET}`, 'day')('2024-01-05')).toBe(true);
  });

  it("is what the composition root's Athena engine answers for an s3:// lake (Athena itself cannot tell)", async () => {
    const lake = (location: string) =>
      testConfig({
        lake: lakeConfig(location, {
          partition: 'day',
          athena: { database: 'db', table: 'events', workgroup: 'wg', bytes_scanned_cutoff_gb: 1 },
        }),
        results: tempDir('nsm-s3-lake-results-'),
        metrics: [{ id: 'n', name: 'n', type: 'count', events: undefined, window_days: 1 }],
        north_star: 'n',
      });
    const athena = new AthenaClient({ region: 'eu-west-1' }); // never called: hasLakePartition only lists S3
    const open = (location: string) =>
      openPipeline(lake(location), {
        engine: 'athena',
        env: {},
        clients: { athena, s3: client },
        log: () => undefined,
        warn: () => undefined,
        now: () => new Date(),
      });
    const s3Lake = await open(`s3://${BUCKET}/events/v1`);
    expect(await s3Lake.deps.engine.hasLakePartition('2024-01-03')).toBe(true);
    expect(await s3Lake.deps.engine.hasLakePartition('2024-01-04')).toBe(false);
    await s3Lake.close();
    // A lake.location that is not in S3 (the Glue table says where Athena reads): it cannot tell.
    const elsewhere = await open('/some/local/lake');
    expect(await elsewhere.deps.engine.hasLakePartition('2024-01-03')).toBeNull();
    await elsewhere.close();
    athena.destroy();
  });

  it('names the lake when the listing fails', async () => {
    const err = await s3LakePartitionExists(() => client, 's3://no-such-lake-bucket/x', 'dt')('2024-01-01').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LakeError);
    expect((err as Error).message).toMatch(
      /^lake s3:\/\/no-such-lake-bucket\/x: cannot list s3:\/\/no-such-lake-bucket\/x\/dt=2024-01-01\/: /,
    );
  });
});
