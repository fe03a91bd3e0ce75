export * from './components.ts';
