// ES-module entry of the adapter conformance suite (see esm/index.mjs).
export * from '../dist/testing/index.js';
