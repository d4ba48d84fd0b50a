// Re-exports only. Each layer adds its lines under its own heading.
// compliance
export * from './compliance/container-platform-checks';
export * from './compliance/acknowledge';
export * from './compliance/compliance-report';
export * from './compliance/log-encryption-key';
// network
export * from './network/platform-vpc';
// registry
export * from './registry/container-repository';
// ecs
// eks
// eks add-ons
