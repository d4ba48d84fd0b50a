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
export * from './ecs/service-compute-options';
export * from './ecs/cluster-capacity';
export * from './ecs/cluster-ec2-capacity';
export * from './ecs/managed-instances-capacity';
export * from './ecs/container-cluster';
export * from './ecs/service-deployment';
export * from './ecs/service-image';
export * from './ecs/service-firewall';
export * from './ecs/service-load-balancer';
export * from './ecs/load-balanced-service-props';
export * from './ecs/load-balanced-service';
// eks
export * from './eks/platform-cluster';
export * from './eks/platform-cluster-base';
export * from './eks/cluster-compute';
export * from './eks/platform-cluster-props';
export * from './eks/platform-cluster-ref';
export * from './eks/platform-nodegroup';
export * from './eks/platform-fargate-profile';
export * from './eks/nodegroup-options';
export * from './eks/fargate-profile-options';
export * from './eks/cluster-access';
export * from './eks/addons/addon-version';
export * from './eks/addons/cluster-addon';
export * from './eks/addons/managed-addon';
export * from './eks/addons/helm-addon';
export * from './eks/addons/pod-identity-agent';
export * from './eks/addons/vpc-cni';
export * from './eks/addons/kube-proxy';
export * from './eks/addons/coredns';
// eks add-ons
export * from './eks/addons/reclaim-policy';
export * from './eks/addons/aws-load-balancer-controller';
export * from './eks/addons/ebs-csi-driver';
export * from './eks/addons/efs-csi-driver';
export * from './eks/addons/container-insights';
export * from './eks/addons/metrics-server';
export * from './eks/addons/cluster-autoscaler';
export * from './eks/addons/vertical-pod-autoscaler';
export * from './eks/addons/karpenter';
export * from './eks/addons/karpenter-node-pool';
export * from './eks/addons/karpenter-installation';
export * from './eks/addons/karpenter-interruption-queue';
