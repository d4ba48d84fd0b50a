import { AspectPriority, Aspects } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * After every aspect of DEFAULT priority or lower: ecs.Cluster creates its capacity-provider association
 * in an aspect of MUTATING priority (DEFAULT without the aspectPrioritiesMutating feature flag).
 */
const ASSOCIATION_DEPENDENCY_PRIORITY = AspectPriority.DEFAULT + 1;

/**
 * A service whose capacity provider strategy names a provider must be created after the cluster's
 * `AWS::ECS::ClusterCapacityProviderAssociations` (CreateService fails while the provider is not yet
 * associated) and deleted before it (the association cannot drop a provider that a service still uses).
 * The service refers to the provider by name only, so CloudFormation sees no order on its own.
 * ecs.Cluster creates that association late, in an aspect, as its child of the cluster's own id; the
 * dependency is added once it exists. For a cluster of another stack it becomes a dependency of this
 * stack on the cluster's stack, the direction the service's references already point.
 */
export function dependOnCapacityProviderAssociation(service: ecs.BaseService, cluster: ecs.Cluster): void {
  Aspects.of(service).add({
    visit: (node) => {
      if (node !== service) {
        return;
      }
      const association = cluster.node.tryFindChild(cluster.node.id);
      if (association instanceof ecs.CfnClusterCapacityProviderAssociations) {
        // The AWS::ECS::Service only: its scaling target and policies need no such order.
        (service.node.defaultChild as ecs.CfnService).node.addDependency(association);
      }
    },
  }, { priority: ASSOCIATION_DEPENDENCY_PRIORITY });
}
