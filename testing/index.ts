// `account-router/testing`: what an adapter author needs to prove an adapter keeps the contract.
export { runAdapterConformance } from './adapter-conformance';
