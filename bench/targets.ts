/**
 * What bench/run.ts measures: examples of examples/ and the same architecture written with plain
 * aws-cdk-lib (bench/plain/), each built in an App the way bin/app.ts builds it (cdk.json context)
 * but without cdk-nag plugins, so both sides pay for the same work.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EXAMPLES } from '../examples';
import { PlainEcsFargateStack } from './plain/plain-ecs-fargate-stack';
import { PlainEksClusterStack } from './plain/plain-eks-cluster-stack';
import { PlainEksFargateOnlyStack } from './plain/plain-eks-fargate-only-stack';
import { PlainEksPlatformStack } from './plain/plain-eks-platform-stack';
import { PlainFoundationStack } from './plain/plain-foundation-stack';
import { addEcsServices } from './scale/ecs-services-app';

const CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;

/** Something bench/synth-one.ts can synthesize into a folder, `count` being the scale parameter. */
export interface BenchTarget {
  synth(outdir: string, count: number): void;
}

function single(create: (scope: Construct, id: string) => Stack): BenchTarget {
  return {
    synth(outdir) {
      const app = new App({ outdir, context: CONTEXT });
      create(app, 'Bench');
      app.synth();
    },
  };
}

export const TARGETS: Record<string, BenchTarget> = {
  ...Object.fromEntries(EXAMPLES.map((e) => [e.id, single(e.create)])),
  'plain-foundation': single((s, id) => new PlainFoundationStack(s, id)),
  'plain-ecs-fargate': single((s, id) => new PlainEcsFargateStack(s, id)),
  'plain-eks-platform': single((s, id) => new PlainEksPlatformStack(s, id)),
  'plain-eks-cluster': single((s, id) => new PlainEksClusterStack(s, id)),
  'plain-eks-fargate-only': single((s, id) => new PlainEksFargateOnlyStack(s, id)),
  'ecs-services': {
    synth(outdir, count) {
      const app = new App({ outdir, context: CONTEXT });
      addEcsServices(app, count);
      app.synth();
    },
  },
};

/** Each row of the comparison table: one of our examples against its plain aws-cdk-lib twin. */
export const COMPARISONS: Array<{ title: string; ours: string; plain: string }> = [
  { title: 'Foundation: VPC + ECR (vs ec2.Vpc + ecr.Repository)', ours: 'Foundation', plain: 'plain-foundation' },
  { title: 'ECS Fargate web service (vs ecs-patterns ApplicationLoadBalancedFargateService)', ours: 'EcsFargateWeb', plain: 'plain-ecs-fargate' },
  { title: 'EKS cluster: two node groups + Fargate profile (vs aws-eks-v2 Cluster + grantAccess)', ours: 'EksCluster', plain: 'plain-eks-cluster' },
  { title: 'EKS Fargate only (vs aws-eks-v2 FargateCluster + a profile)', ours: 'EksFargateOnly', plain: 'plain-eks-fargate-only' },
  { title: 'EKS full platform (vs aws-eks-v2 Cluster + albController + the same add-ons)', ours: 'EksFullPlatform', plain: 'plain-eks-platform' },
];

/** Examples without a plain twin yet: the deploy-time estimate reports them alone. */
export const DEPLOY_ONLY: Array<{ title: string; ours: string }> = [
  { title: 'ECS on EC2, bin-packed', ours: 'EcsEc2Binpack' },
  { title: 'ECS services sharing an ALB', ours: 'EcsSharedAlb' },
];

/** The target bench/run.ts scales to 1, 10 and 50 services. */
export const SCALE_TARGET = 'ecs-services';
