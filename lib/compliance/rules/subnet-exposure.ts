import { CfnResource } from 'aws-cdk-lib';
import { referencedLogicalId, stackResource, stackResources } from './platform-rule';
import { isKnown, isTrue, possibleReferences, possibleValues, UNKNOWN } from './possible-values';

/** Whether a subnet can be reached from the internet, as far as the stack shows. */
export enum SubnetExposure {
  /** No public address on launch and no route to an internet gateway. */
  PRIVATE = 'private',
  /** Maps public IPs on launch, is tagged `aws-cdk:subnet-type=Public`, or routes to an internet gateway. */
  PUBLIC = 'public',
  /** A literal subnet id, a parameter or a subnet of another stack: nothing to inspect at synth. */
  UNKNOWN = 'unknown',
}

/**
 * Judges every subnet a node group or Fargate profile lists, in every branch: PUBLIC if any is public, UNKNOWN if any
 * cannot be inspected, else PRIVATE. A subnet with no route table association in the stack uses the
 * VPC's main route table, which only routes inside the VPC unless changed outside the stack.
 */
export function subnetsExposure(node: CfnResource, subnets: unknown): SubnetExposure {
  // Every subnet of every branch of an Fn::If.
  const all = possibleValues(subnets, node).flatMap((list) => (Array.isArray(list) ? list.flatMap((s) => possibleReferences(s, node)) : [list]))
    .filter((s) => s !== undefined);
  if (all.length === 0) {
    return SubnetExposure.UNKNOWN;
  }
  const verdicts = all.map((s) => subnetExposure(node, s));
  if (verdicts.includes(SubnetExposure.PUBLIC)) {
    return SubnetExposure.PUBLIC;
  }
  return verdicts.includes(SubnetExposure.UNKNOWN) ? SubnetExposure.UNKNOWN : SubnetExposure.PRIVATE;
}

function subnetExposure(node: CfnResource, subnetRef: unknown): SubnetExposure {
  const subnetId = referencedLogicalId(subnetRef);
  const subnet = subnetId === undefined ? undefined : stackResource(node, 'AWS::EC2::Subnet', subnetId);
  if (subnetId === undefined || subnet === undefined) {
    return SubnetExposure.UNKNOWN;
  }
  const tags: any[] = Array.isArray(subnet.Tags) ? subnet.Tags : [];
  if (possibleValues(subnet.MapPublicIpOnLaunch, node).some(isTrue)
    || tags.some((t) => t?.Key === 'aws-cdk:subnet-type' && t?.Value === 'Public')) {
    return SubnetExposure.PUBLIC;
  }
  const routeTables = stackResources(node, 'AWS::EC2::SubnetRouteTableAssociation')
    .filter((a) => referencedLogicalId(a.properties.SubnetId) === subnetId)
    .map((a) => referencedLogicalId(a.properties.RouteTableId));
  const internetGateways = new Set(stackResources(node, 'AWS::EC2::InternetGateway').map((g) => g.logicalId));
  const routesToInternet = stackResources(node, 'AWS::EC2::Route').some((r) => {
    if (!routeTables.includes(referencedLogicalId(r.properties.RouteTableId))) {
      return false;
    }
    // Every value the gateway can be: a parameter (its default or allowed values, e.g. 'igw-...'), each
    // Fn::If branch, a gateway of the stack; one nothing at synth can know may be an internet gateway.
    return possibleReferences(r.properties.GatewayId, node).some((gateway) => {
      const gatewayId = referencedLogicalId(gateway);
      if (gatewayId !== undefined) {
        return internetGateways.has(gatewayId);
      }
      return gateway === UNKNOWN || (typeof gateway === 'string' && (gateway.startsWith('igw-') || !isKnown(gateway)));
    });
  });
  return routesToInternet ? SubnetExposure.PUBLIC : SubnetExposure.PRIVATE;
}
