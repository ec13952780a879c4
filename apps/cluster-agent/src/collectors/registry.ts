/** The collector for each target type; a type without one is reported, not collected. */
import type { CollectorFactory } from './collector.ts';
import type { TargetType } from './target.ts';

export type CollectorRegistry = Partial<Record<TargetType, CollectorFactory>>;
