/**
 * Services shared by the whole test run, started once on loopback and stopped
 * at the end: moto_server (S3 + KMS). Tests read its URL with
 * `inject('motoUrl')` (empty when moto is unavailable outside CI).
 */
import type { TestProject } from 'vitest/node';
import { type MotoServer, startMoto } from './moto.js';
import { requireTool } from './tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoUrl: string;
  }
}

let moto: MotoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const binary = requireTool('moto_server', 'S3 and KMS tests');
  moto = binary ? await startMoto(binary) : undefined;
  project.provide('motoUrl', moto?.url ?? '');
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}
