import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/core/errors';
import { formatS3Uri, isS3Uri, joinKey, parseS3Uri } from '../../../functions/core/s3-uri';

describe('parseS3Uri', () => {
  it.each([
    ['s3://my-bucket', { bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/', { bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/nsm', { bucket: 'my-bucket', prefix: 'nsm' }],
    ['s3://my-bucket/nsm/results/', { bucket: 'my-bucket', prefix: 'nsm/results' }],
    ['s3://a.b-c.123/x', { bucket: 'a.b-c.123', prefix: 'x' }],
  ])('%s', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
  });

  it.each([
    ['./demo/results', /not an s3:\/\/ URI/],
    ['S3://bucket/x', /not an s3:\/\/ URI/],
    ['s3://', /not a valid S3 bucket name/],
    ['s3://ab', /not a valid S3 bucket name/],
    ['s3://My_Bucket/x', /not a valid S3 bucket name/],
    ['s3://bucket//x', /empty, '\.' or '\.\.' path segment/],
    ['s3://bucket/a/../b', /empty, '\.' or '\.\.' path segment/],
  ])('rejects %s', (uri, message) => {
    expect(() => parseS3Uri(uri, 'results.location')).toThrow(InputError);
    expect(() => parseS3Uri(uri, 'results.location')).toThrow(message);
    expect(() => parseS3Uri(uri, 'results.location')).toThrow(/^results\.location: /);
  });
});

describe('helpers', () => {
  it('isS3Uri', () => {
    expect(isS3Uri('s3://b/x')).toBe(true);
    expect(isS3Uri('/tmp/s3://b')).toBe(false);
  });
  it('joinKey', () => {
    expect(joinKey('', 'latest.json')).toBe('latest.json');
    expect(joinKey('nsm/results', 'latest.json')).toBe('nsm/results/latest.json');
  });
  it('formatS3Uri round-trips', () => {
    expect(formatS3Uri(parseS3Uri('s3://bucket/a/b/'))).toBe('s3://bucket/a/b');
    expect(formatS3Uri(parseS3Uri('s3://bucket'))).toBe('s3://bucket');
  });
});
