import { CfnResource } from 'aws-cdk-lib';
import type { NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { NagPack } from './lazy-nag';
import { ECR1_SCAN_ON_PUSH } from './rules/ecr1-scan-on-push';
import { ECR2_IMMUTABLE_TAGS } from './rules/ecr2-immutable-tags';
import { ECR3_LIFECYCLE_POLICY } from './rules/ecr3-lifecycle-policy';
import { ECR4_ENCRYPTION } from './rules/ecr4-encryption';
import { ECS1_NO_PRIVILEGED_CONTAINERS } from './rules/ecs1-no-privileged-containers';
import { ECS2_NON_ROOT_USER } from './rules/ecs2-non-root-user';
import { ECS3_READ_ONLY_ROOT_FILESYSTEM } from './rules/ecs3-read-only-root-filesystem';
import { ECS4_CONTAINER_LOGGING } from './rules/ecs4-container-logging';
import { ECS5_PINNED_IMAGE } from './rules/ecs5-pinned-image';
import { ECS6_NO_PLAINTEXT_SECRETS } from './rules/ecs6-no-plaintext-secrets';
import { ECS7_DEPLOYMENT_ROLLBACK } from './rules/ecs7-deployment-rollback';
import { ECS8_MINIMUM_HEALTHY_PERCENT } from './rules/ecs8-minimum-healthy-percent';
import { ECS9_CONTAINER_INSTANCE_IMDS } from './rules/ecs9-container-instance-imds';
import { EKS1_ENDPOINT_ACCESS } from './rules/eks1-endpoint-access';
import { EKS2_CONTROL_PLANE_LOGS } from './rules/eks2-control-plane-logs';
import { EKS3_SECRETS_ENCRYPTION } from './rules/eks3-secrets-encryption';
import { EKS4_NODE_IMDSV2 } from './rules/eks4-node-imdsv2';
import { EKS5_NODEGROUP_PRIVATE_SUBNETS } from './rules/eks5-nodegroup-private-subnets';
import { EKS6_FARGATE_PRIVATE_SUBNETS } from './rules/eks6-fargate-private-subnets';
import { ELB1_DROP_INVALID_HEADERS } from './rules/elb1-drop-invalid-headers';
import { ELB2_TLS12_POLICY } from './rules/elb2-tls12-policy';
import { ELB3_HTTP_REDIRECTS_ONLY } from './rules/elb3-http-redirects-only';
import { PACK_NAME, PlatformRule, PlatformRuleOptions } from './rules/platform-rule';

/** Every rule of the pack, in the order of the README rule table. */
const RULES: PlatformRule[] = [
  ECR1_SCAN_ON_PUSH, ECR2_IMMUTABLE_TAGS, ECR3_LIFECYCLE_POLICY, ECR4_ENCRYPTION,
  ECS1_NO_PRIVILEGED_CONTAINERS, ECS2_NON_ROOT_USER, ECS3_READ_ONLY_ROOT_FILESYSTEM, ECS4_CONTAINER_LOGGING,
  ECS5_PINNED_IMAGE, ECS6_NO_PLAINTEXT_SECRETS, ECS7_DEPLOYMENT_ROLLBACK, ECS8_MINIMUM_HEALTHY_PERCENT,
  ECS9_CONTAINER_INSTANCE_IMDS,
  ELB1_DROP_INVALID_HEADERS, ELB2_TLS12_POLICY, ELB3_HTTP_REDIRECTS_ONLY,
  EKS1_ENDPOINT_ACCESS, EKS2_CONTROL_PLANE_LOGS, EKS3_SECRETS_ENCRYPTION, EKS4_NODE_IMDSV2,
  EKS5_NODEGROUP_PRIVATE_SUBNETS, EKS6_FARGATE_PRIVATE_SUBNETS,
];

/** Props of {@link ContainerPlatformChecks}. */
export interface ContainerPlatformChecksProps extends NagPackProps {
  /**
   * Make ContainerPlatform-ECR4 demand a customer-managed KMS key on every ECR repository.
   * @default false - AES256, which ECR applies to every repository and which cannot be turned off, is compliant
   */
  readonly requireRepositoryKmsKey?: boolean;
}

/** One rule of the pack, for documentation and tooling. */
export interface ContainerPlatformRule {
  /** The rule id, e.g. `ContainerPlatform-ECR1`: acknowledge it with `Compliance.acknowledge(construct, id, reason)`. */
  readonly ruleId: string;
  /** What a compliant resource looks like. */
  readonly statement: string;
}

/**
 * A cdk-nag pack for the container supply chain and runtime, which the built-in packs do not cover:
 * ECR scanning, tag immutability, lifecycle and encryption; ECS task hardening, image pinning,
 * plain-text secrets and safe deployments; ALB header and TLS hygiene; and EKS clusters, node groups
 * and Fargate profiles as aws-eks-v2 synthesizes them.
 *
 * Register it beside the built-in packs: `Validations.of(app).addPlugins(new ContainerPlatformChecks())`.
 * Rules read CloudFormation resource types, not L1 classes, so they judge aws-eks-v2, aws-eks and raw
 * `CfnResource`s alike, including escape-hatch property overrides.
 */
export class ContainerPlatformChecks extends NagPack {
  /** The rules of the pack with their ids and one-line statements, in rule-table order. */
  public static rules(): ContainerPlatformRule[] {
    return RULES.map((r) => ({ ruleId: `${PACK_NAME}-${r.id}`, statement: r.statement }));
  }

  public readonly name: string = PACK_NAME;
  private readonly options: PlatformRuleOptions;

  constructor(scope?: IConstruct, props?: ContainerPlatformChecksProps) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.options = { requireRepositoryKmsKey: props?.requireRepositoryKmsKey ?? false };
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: (n: CfnResource) => rule.check(n, this.options),
      });
    }
  }
}
