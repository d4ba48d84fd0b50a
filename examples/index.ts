import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformCluster } from '../lib';
import { EcsEc2BinpackStack } from './ecs-ec2-binpack';
import { EcsFargateWebStack } from './ecs-fargate-web';
import { ecsPlatformOf } from './ecs-platform-stack';
import { EcsSharedAlbStack } from './ecs-shared-alb';
import { EcsWebAppsStack } from './ecs-web-apps-stack';
import { EcsWorkerAppsStack } from './ecs-worker-apps-stack';
import { EksAutoModeStack } from './eks-auto-mode-stack';
import { EksAutoscalingStack } from './eks-autoscaling-stack';
import { EksClusterStack } from './eks-cluster-stack';
import { EksFargateOnlyStack } from './eks-fargate-only-stack';
import { EksFullPlatformStack } from './eks-full-platform-stack';
import { EksKarpenterFargateStack, EksKarpenterStack } from './eks-karpenter-stack';
import { EksAddonsStack, EksNodegroupStack, EksPlatformStack } from './eks-platform-stacks';
import { exampleAppProps } from './example-teardown';
import { FoundationStack } from './foundation-stack';

/** An example stack and the id bin/app.ts gives it. */
export interface Example {
  readonly id: string;
  readonly create: (scope: Construct, id: string) => Stack;
}

/**
 * Every example, in the order bin/app.ts synthesizes them; the tests and bench/ read the same list.
 * The ECS examples are built as the example app deploys them: load balancers without deletion
 * protection, so that `cdk destroy` succeeds (see example-teardown.ts).
 */
export const EXAMPLES: Example[] = [
  { id: 'Foundation', create: (s, id) => new FoundationStack(s, id) },
  { id: 'EcsFargateWeb', create: (s, id) => new EcsFargateWebStack(s, id, exampleAppProps(s)) },
  { id: 'EcsEc2Binpack', create: (s, id) => new EcsEc2BinpackStack(s, id, exampleAppProps(s)) },
  { id: 'EcsSharedAlb', create: (s, id) => new EcsSharedAlbStack(s, id, exampleAppProps(s)) },
  // A platform stack and two application stacks on it; each application example finds (or creates) the platform stack.
  { id: 'EcsPlatform', create: (s, id) => ecsPlatformOf(s, exampleAppProps(s), id) },
  { id: 'EcsWebApps', create: (s, id) => new EcsWebAppsStack(s, id, { ...exampleAppProps(s), platform: ecsPlatformOf(s, exampleAppProps(s)) }) },
  { id: 'EcsWorkerApps', create: (s, id) => new EcsWorkerAppsStack(s, id, { ...exampleAppProps(s), platform: ecsPlatformOf(s, exampleAppProps(s)) }) },
  { id: 'EksCluster', create: (s, id) => new EksClusterStack(s, id) },
  { id: 'EksFargateOnly', create: (s, id) => new EksFargateOnlyStack(s, id) },
  { id: 'EksFullPlatform', create: (s, id) => new EksFullPlatformStack(s, id) },
  { id: 'EksAutoscaling', create: (s, id) => new EksAutoscalingStack(s, id) },
  { id: 'EksAutoMode', create: (s, id) => new EksAutoModeStack(s, id) },
  { id: 'EksKarpenter', create: (s, id) => new EksKarpenterStack(s, id) },
  { id: 'EksKarpenterFargate', create: (s, id) => new EksKarpenterFargateStack(s, id) },
  // One composition in three stacks: the later two take the cluster of the first, which they find in the app.
  { id: 'EksPlatform', create: (s, id) => new EksPlatformStack(s, id) },
  { id: 'EksPlatformAddons', create: (s, id) => new EksAddonsStack(s, id, { platform: eksPlatform(s) }) },
  { id: 'EksPlatformNodegroups', create: (s, id) => new EksNodegroupStack(s, id, { platform: eksPlatform(s) }) },
];

/** The cluster of the EksPlatform example stack, created earlier in the same app. */
function eksPlatform(app: Construct): PlatformCluster {
  return (app.node.findChild('EksPlatform') as EksPlatformStack).platform;
}
