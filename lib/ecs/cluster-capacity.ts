import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { validateInstanceAttribute } from './capacity-attribute';

/** What kind of capacity a capacity provider offers: it decides the task definition and the service a task runs under. */
export enum CapacityKind {
  /** AWS Fargate or Fargate Spot (the providers `FARGATE` and `FARGATE_SPOT`). */
  FARGATE = 'FARGATE',
  /** An Auto Scaling group capacity provider of EC2 container instances. */
  EC2 = 'EC2',
  /** An ECS Managed Instances capacity provider: EC2 instances that ECS launches, patches and replaces. */
  MANAGED_INSTANCES = 'MANAGED_INSTANCES',
}

/**
 * A capacity provider of a cluster that services can name in their capacity provider strategy.
 * `ContainerCluster` returns one for each capacity it owns; `ClusterCapacity.fromCapacityProviderName`
 * names one created elsewhere.
 */
export interface IClusterCapacity {
  /** The capacity provider's name, as a service's capacity provider strategy names it. */
  readonly capacityProviderName: string;
  /** The kind of capacity. */
  readonly kind: CapacityKind;
  /** Whether the capacity is Spot (interruptible). */
  readonly spot: boolean;
  /**
   * The cluster the provider is associated with. When it is an `ecs.Cluster` of this app, a service on the
   * provider is created after the cluster's capacity-provider association.
   * @default - unknown: the service must be given its cluster, and no ordering is added
   */
  readonly cluster?: ecs.ICluster;
  /**
   * A custom attribute every container instance of this capacity registers with, and no instance of
   * another capacity of the cluster carries. A DAEMON service takes no capacity provider strategy, so it
   * is held to the capacity it names by a placement constraint on this attribute.
   * @default - none: a DAEMON service on this capacity runs on every container instance of the cluster
   */
  readonly instanceAttribute?: ContainerInstanceAttribute;
}

/** A custom ECS container-instance attribute: a name-value pair the instance registers with. */
export interface ContainerInstanceAttribute {
  /** The attribute's name: 1 to 128 letters, digits, hyphens, underscores, slashes, back slashes and periods. */
  readonly name: string;
  /** The attribute's value: 1 to 128 letters, digits, hyphens, underscores, periods, at signs, slashes, back slashes and colons. */
  readonly value: string;
}

/** Attributes of a capacity provider created outside this app (or outside `ContainerCluster`). */
export interface ClusterCapacityAttributes {
  /** The capacity provider's name, e.g. an export of the platform stack. */
  readonly capacityProviderName: string;
  /** The kind of capacity. */
  readonly kind: CapacityKind;
  /**
   * Whether the capacity is Spot.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * The cluster it belongs to.
   * @default - unknown: pass the cluster to the service
   */
  readonly cluster?: ecs.ICluster;
  /**
   * The custom attribute the capacity's container instances register with (ECS_INSTANCE_ATTRIBUTES, or
   * Bottlerocket's `settings.ecs.instance-attributes`) and other instances of the cluster do not carry.
   * A DAEMON service naming this capacity is held to those instances with a `memberOf` constraint on it.
   * @default - none: a DAEMON service naming this capacity runs on every container instance of the cluster, and synth warns
   */
  readonly instanceAttribute?: ContainerInstanceAttribute;
}

/** One entry of a service's capacity provider strategy. */
export interface CapacityStrategyEntry {
  /** The capacity provider. */
  readonly capacity: IClusterCapacity;
  /**
   * Tasks that run on this provider before any weight applies. At most one entry of a strategy may set a base.
   * @default 0
   */
  readonly base?: number;
  /**
   * This provider's share of the tasks above the base, relative to the other entries (0-1000).
   * @default 1
   */
  readonly weight?: number;
}

/** Capacity providers named by a service rather than created for it. */
export class ClusterCapacity {
  /**
   * A capacity provider known by name: one a platform stack of another app exports, or one of a cluster
   * built without `ContainerCluster`. The cluster's capacity-provider association must already include it.
   */
  public static fromCapacityProviderAttributes(attrs: ClusterCapacityAttributes): IClusterCapacity {
    const name = attrs.capacityProviderName;
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new Error(`capacityProviderName: capacity provider names are 1 to 255 letters, digits, hyphens and underscores, got '${name}'; pass the name ECS shows for the provider`);
    }
    const fargateName = name === 'FARGATE' || name === 'FARGATE_SPOT';
    if (!Token.isUnresolved(name) && fargateName !== (attrs.kind === CapacityKind.FARGATE)) {
      throw new Error(`kind: ${name} is ${fargateName ? '' : 'not '}a Fargate provider, got kind ${attrs.kind}; ${fargateName ? 'use CapacityKind.FARGATE' : 'use CapacityKind.EC2 or MANAGED_INSTANCES'}`);
    }
    if (attrs.instanceAttribute !== undefined) {
      if (attrs.kind !== CapacityKind.EC2) {
        throw new Error(`instanceAttribute: only EC2 capacity runs DAEMON services, which the attribute is for, got kind ${attrs.kind}; drop instanceAttribute`);
      }
      validateInstanceAttribute('instanceAttribute', attrs.instanceAttribute);
    }
    return { capacityProviderName: name, kind: attrs.kind, spot: attrs.spot ?? name === 'FARGATE_SPOT', cluster: attrs.cluster, instanceAttribute: attrs.instanceAttribute };
  }

  private constructor() {}
}
