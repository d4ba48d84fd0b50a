/**
 * What bench/run.ts measures: examples of examples/ and the same architecture written with plain
 * aws-cdk-lib (bench/plain/), each built in an App the way bin/app.ts builds it (cdk.json context)
 * but without cdk-nag plugins, so both sides pay for the same work.
 *
 * Each target loads its own modules only when asked (`load`), so that a process timing a plain twin
 * does not load this library, and one timing an example loads it as a user's app does (`../lib`, which
 * bench/compile.ts points at dist/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** cdk.json's context, found upward from here: this file runs from bench/ (tsx) and bench/out/bench/ (compiled). */
function cdkContext(): Record<string, unknown> {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'cdk.json');
    if (fs.existsSync(file)) {
      return JSON.parse(fs.readFileSync(file, 'utf8')).context;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cdk.json not found above ${__dirname}`);
    }
  }
}

/** How long each part of one synthesis took, in milliseconds. */
export interface SynthPhases {
  /** Building the construct tree: the stacks' constructors. */
  readonly constructMs: number;
  /** `app.synth()`: aspects, validation, templates and assets. */
  readonly synthMs: number;
}

/** Something bench/synth-one.ts can synthesize into a folder, `count` being the scale parameter. */
export interface BenchTarget {
  /** Loads the target's modules (the library and aws-cdk-lib modules they import at top level). */
  load(): void;
  synth(outdir: string, count: number): SynthPhases;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Times building an app's tree and synthesizing it. */
function timeSynth(outdir: string, build: (app: App) => void): SynthPhases {
  const app = new App({ outdir, context: cdkContext() });
  const start = now();
  build(app);
  const built = now();
  app.synth();
  return { constructMs: built - start, synthMs: now() - built };
}

type StackFactory = (scope: Construct, id: string) => Stack;

/** A target of one stack whose factory `load` returns (each module required when first needed). */
function single(load: () => StackFactory): BenchTarget {
  let create: StackFactory | undefined;
  const loaded = () => (create ??= load());
  return {
    load: () => { loaded(); },
    synth: (outdir) => timeSynth(outdir, (app) => loaded()(app, 'Bench')),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
const PLAIN_TARGETS: Record<string, BenchTarget> = {
  'plain-foundation': single(() => {
    const { PlainFoundationStack } = require('./plain/plain-foundation-stack') as typeof import('./plain/plain-foundation-stack');
    return (s, id) => new PlainFoundationStack(s, id);
  }),
  'plain-ecs-fargate': single(() => {
    const { PlainEcsFargateStack } = require('./plain/plain-ecs-fargate-stack') as typeof import('./plain/plain-ecs-fargate-stack');
    return (s, id) => new PlainEcsFargateStack(s, id);
  }),
  'plain-ecs-ec2': single(() => {
    const { PlainEcsEc2Stack } = require('./plain/plain-ecs-ec2-stack') as typeof import('./plain/plain-ecs-ec2-stack');
    return (s, id) => new PlainEcsEc2Stack(s, id);
  }),
  'plain-eks-platform': single(() => {
    const { PlainEksPlatformStack } = require('./plain/plain-eks-platform-stack') as typeof import('./plain/plain-eks-platform-stack');
    return (s, id) => new PlainEksPlatformStack(s, id);
  }),
  'plain-eks-cluster': single(() => {
    const { PlainEksClusterStack } = require('./plain/plain-eks-cluster-stack') as typeof import('./plain/plain-eks-cluster-stack');
    return (s, id) => new PlainEksClusterStack(s, id);
  }),
  'plain-eks-fargate-only': single(() => {
    const { PlainEksFargateOnlyStack } = require('./plain/plain-eks-fargate-only-stack') as typeof import('./plain/plain-eks-fargate-only-stack');
    return (s, id) => new PlainEksFargateOnlyStack(s, id);
  }),
  'ecs-services': (() => {
    let add: typeof import('./scale/ecs-services-app').addEcsServices | undefined;
    const loaded = () => (add ??= (require('./scale/ecs-services-app') as typeof import('./scale/ecs-services-app')).addEcsServices);
    return {
      load: () => { loaded(); },
      synth: (outdir: string, count: number) => timeSynth(outdir, (app) => loaded()(app, count)),
    };
  })(),
};

/** The examples of examples/index.ts, loaded with the library when one of them is first asked for. */
function examples(): typeof import('../examples').EXAMPLES {
  return (require('../examples') as typeof import('../examples')).EXAMPLES;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The target of a name: a plain twin, the scale app, or the id of an example. */
export function target(name: string): BenchTarget {
  const plain = PLAIN_TARGETS[name];
  if (plain) {
    return plain;
  }
  return single(() => {
    const example = examples().find((e) => e.id === name);
    if (!example) {
      throw new Error(`unknown bench target '${name}'; targets: ${[...Object.keys(PLAIN_TARGETS), ...examples().map((e) => e.id)].join(', ')}`);
    }
    return example.create;
  });
}

/** Each row of the comparison table: one of our examples against its plain aws-cdk-lib twin. */
export const COMPARISONS: Array<{ title: string; ours: string; plain: string }> = [
  { title: 'Foundation: VPC + ECR (vs ec2.Vpc + ecr.Repository)', ours: 'Foundation', plain: 'plain-foundation' },
  { title: 'ECS Fargate web service (vs ecs-patterns ApplicationLoadBalancedFargateService)', ours: 'EcsFargateWeb', plain: 'plain-ecs-fargate' },
  { title: 'ECS on EC2, bin-packed (vs ecs-patterns ApplicationLoadBalancedEc2Service + an ASG capacity provider)', ours: 'EcsEc2Binpack', plain: 'plain-ecs-ec2' },
  { title: 'EKS cluster: two node groups + Fargate profile (vs aws-eks-v2 Cluster + grantAccess)', ours: 'EksCluster', plain: 'plain-eks-cluster' },
  { title: 'EKS Fargate only (vs aws-eks-v2 FargateCluster + a profile)', ours: 'EksFargateOnly', plain: 'plain-eks-fargate-only' },
  { title: 'EKS full platform (vs aws-eks-v2 Cluster + albController + the same add-ons)', ours: 'EksFullPlatform', plain: 'plain-eks-platform' },
];

/** Examples without a plain twin yet: the deploy-time estimate reports them alone. */
export const DEPLOY_ONLY: Array<{ title: string; ours: string }> = [
  { title: 'ECS services sharing an ALB', ours: 'EcsSharedAlb' },
];

/** The target bench/run.ts scales to 1, 10 and 50 services. */
export const SCALE_TARGET = 'ecs-services';
