export * from './components.ts';
export * from './cross-checks.ts';
export * from './verify-cluster.ts';
export * from './freshness/index.ts';
