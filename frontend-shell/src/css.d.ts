// esbuild bundles CSS imported from TypeScript into shell.css; tsc only needs to know the import is fine.
declare module '*.css';
