import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

/** examples/foundation-stack.ts written with plain aws-cdk-lib: a VPC with flow logs and a repository. */
export class PlainFoundationStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 3, restrictDefaultSecurityGroup: true });
    vpc.addFlowLog('FlowLog');
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    new ecr.Repository(this, 'Repository', { repositoryName: 'platform/web', imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
  }
}
