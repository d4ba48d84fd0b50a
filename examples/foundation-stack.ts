import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerRepository, PlatformVpc } from '../lib';

/**
 * The ground floor every platform shares: a public/private VPC across three zones with flow logs,
 * and an ECR repository with scan on push, immutable tags and lifecycle rules.
 */
export class FoundationStack extends Stack {
  public readonly network: PlatformVpc;
  public readonly repository: ContainerRepository;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.network = new PlatformVpc(this, 'Network');
    this.repository = new ContainerRepository(this, 'Repository', { repositoryName: 'platform/web' });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId });
    new CfnOutput(this, 'RepositoryUri', { value: this.repository.repositoryUri });
  }
}
