export * from './component.ts';
