export * from './compliance/acknowledge';
export * from './compliance/compliance-report';
export * from './compliance/log-encryption-key';
export * from './network/platform-vpc';
export * from './registry/container-repository';
