import type { Readable } from 'node:stream';
import type { AwsConfig } from '@arangops/core';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { awsClientConfig } from '../aws.js';
import { ObjectNotFoundError, StoreError } from '../errors.js';
import type { BackupStore } from './types.js';

export interface S3StoreOptions {
  aws: AwsConfig;
  /** SSE-KMS on top of our own encryption, when set. */
  sseKmsKeyId?: string;
  /** Multipart part size (S3's minimum is 5 MiB); memory held per upload is about `partSize × queueSize`. */
  partSizeBytes?: number;
  queueSize?: number;
}

const MIN_PART = 5 * 1024 * 1024;

export function s3Store(bucket: string, prefix: string, url: string, options: S3StoreOptions): BackupStore {
  const client = new S3Client(awsClientConfig(options.aws));
  const keyOf = (key: string) => `${prefix}${key}`;
  const fail = (op: string, key: string, e: unknown): never => {
    if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NotFound') {
      throw new ObjectNotFoundError(`${url}: ${key} not found`, { cause: e });
    }
    const detail =
      e instanceof S3ServiceException
        ? `${e.name} (HTTP ${e.$metadata.httpStatusCode ?? '?'})`
        : (e as Error).message;
    throw new StoreError(`${url}: cannot ${op} ${key}: ${detail}`, { cause: e });
  };
  return {
    url,
    async put(key, body) {
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: keyOf(key),
          Body: body,
          ...(options.sseKmsKeyId
            ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: options.sseKmsKeyId }
            : {}),
        },
        partSize: Math.max(MIN_PART, options.partSizeBytes ?? MIN_PART),
        queueSize: options.queueSize ?? 2,
        // The default, stated: a failed upload aborts its multipart upload, so no parts are left to pay for.
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (e) {
        fail('upload', key, e);
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        return res.Body as Readable;
      } catch (e) {
        return fail('read', key, e);
      }
    },
    async getBytes(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (e) {
        return fail('read', key, e);
      }
    },
    async *list(listPrefix) {
      let token: string | undefined;
      do {
        let page: ListObjectsV2CommandOutput;
        try {
          page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: keyOf(listPrefix), ContinuationToken: token }),
          );
        } catch (e) {
          return fail('list', listPrefix, e);
        }
        for (const o of page.Contents ?? []) {
          yield {
            key: o.Key!.slice(prefix.length),
            size: o.Size ?? 0,
            lastModified: o.LastModified ?? new Date(0),
          };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        try {
          const res = await client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((k) => ({ Key: keyOf(k) })), Quiet: true },
            }),
          );
          const first = res.Errors?.[0];
          if (first) throw new StoreError(`${url}: cannot delete ${first.Key}: ${first.Code ?? 'error'}`);
        } catch (e) {
          if (e instanceof StoreError) throw e;
          fail('delete', batch[0]!, e);
        }
      }
    },
    close() {
      client.destroy();
    },
  };
}
