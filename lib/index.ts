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
export * from './ecs/service-compute';
export * from './ecs/service-deployment';
export * from './ecs/service-image';
export * from './ecs/service-firewall';
export * from './ecs/service-load-balancer';
export * from './ecs/load-balanced-service-props';
export * from './ecs/load-balanced-service';
// eks
// eks add-ons
