import type { AwsConfig } from '@arangops/core';

/** Client settings shared by S3 and KMS: a custom endpoint (S3-compatible store, emulator) implies path style. */
export function awsClientConfig(aws: AwsConfig) {
  return {
    region: aws.region,
    ...(aws.endpoint
      ? {
          endpoint: aws.endpoint,
          forcePathStyle: true,
          // Emulators and most S3-compatible stores reject the SDK's default CRC checksums; our manifest has SHA-256s.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    ...(aws.accessKeyId && aws.secretAccessKey
      ? {
          credentials: {
            accessKeyId: aws.accessKeyId,
            secretAccessKey: aws.secretAccessKey,
            ...(aws.sessionToken ? { sessionToken: aws.sessionToken } : {}),
          },
        }
      : {}),
  };
}
