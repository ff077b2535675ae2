// ES-module entry: the package is compiled to CommonJS once; this re-exports it so `import` and
// `require` share one instance (one set of classes for instanceof checks).
export * from '../dist/lib/index.js';
