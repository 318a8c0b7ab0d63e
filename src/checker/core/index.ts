/** The checker core: framework-free, runs unchanged in browsers and Node 24. */
export * from './target';
export * from './browser-rules';
export * from './frames';
export * from './identity';
export * from './handshake';
export * from './catalog';
export * from './classify';
export * from './commands';
export * from './probe';
export * from './summary';
export * from './run-check';
export * from './report';
