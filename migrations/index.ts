import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as accessControl from './0002_access_control.ts';
import * as lineage from './0003_lineage.ts';
import * as streams from './0004_streams.ts';
import * as jobs from './0005_jobs.ts';
import * as transforms from './0006_transforms.ts';
import * as labeling from './0007_labeling.ts';

/**
 * Every migration, by name, in the order they apply. Listed statically so that bundling or
 * running from another directory needs no filesystem scan. A migration never changes once it
 * has landed; add a new file instead.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_access_control': accessControl,
  '0003_lineage': lineage,
  '0004_streams': streams,
  '0005_jobs': jobs,
  '0006_transforms': transforms,
  '0007_labeling': labeling,
};
