#!/usr/bin/env node
// Synthesizes every example stack, audited by the four standard cdk-nag packs and this library's
// ContainerPlatform pack: `npx cdk synth` fails on any
// unacknowledged finding. Stacks are environment-agnostic, so no AWS account or lookup is needed.
import { App, Validations } from 'aws-cdk-lib';
import { ComplianceReport } from '../lib';
import { FoundationStack } from '../examples/foundation-stack';
// example imports: ecs
import { EcsEc2BinpackStack } from '../examples/ecs-ec2-binpack';
import { EcsFargateWebStack } from '../examples/ecs-fargate-web';
import { EcsSharedAlbStack } from '../examples/ecs-shared-alb';
// example imports: eks
import { EksClusterStack } from '../examples/eks-cluster-stack';
import { EksFargateOnlyStack } from '../examples/eks-fargate-only-stack';
// example imports: eks add-ons
import { EksFullPlatformStack } from '../examples/eks-full-platform-stack';

const app = new App();
Validations.of(app).addPlugins(...ComplianceReport.platformPacks());

new FoundationStack(app, 'Foundation');
// example stacks: ecs
new EcsFargateWebStack(app, 'EcsFargateWeb');
new EcsEc2BinpackStack(app, 'EcsEc2Binpack');
new EcsSharedAlbStack(app, 'EcsSharedAlb');
// example stacks: eks
new EksClusterStack(app, 'EksCluster');
new EksFargateOnlyStack(app, 'EksFargateOnly');
// example stacks: eks add-ons
new EksFullPlatformStack(app, 'EksFullPlatform');

app.synth();
