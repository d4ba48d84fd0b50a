import { StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Compliance, ServiceLoadBalancer } from '../lib';

/**
 * The context value that turns load balancer deletion protection back on in the example app:
 * `npx cdk deploy EcsFargateWeb -c exampleDeletionProtection=true`.
 */
export const DELETION_PROTECTION_CONTEXT = 'exampleDeletionProtection';

/** Props of the ECS example stacks. */
export interface EcsExampleProps extends StackProps {
  /**
   * Deletion protection of the example's load balancer. A stack class copied from here keeps the
   * library's default; the example app (bin/app.ts) passes false so that `cdk destroy` removes what
   * `cdk deploy` created, unless the `exampleDeletionProtection` context value is true.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** What the example app passes to the ECS example stacks: deletion protection only when asked for. */
export function exampleAppProps(scope: Construct): EcsExampleProps {
  const value = scope.node.tryGetContext(DELETION_PROTECTION_CONTEXT);
  return { deletionProtection: value === true || value === 'true' };
}

/**
 * The example app turns deletion protection off so that `cdk destroy` succeeds: the NIST and HIPAA
 * findings of that choice are acknowledged here, in the example, never in the library.
 */
export function acknowledgeExampleTeardown(loadBalancer: ServiceLoadBalancer): void {
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
    Compliance.acknowledge(loadBalancer.loadBalancer, `${pack}-ELBDeletionProtectionEnabled`,
      'deletionProtection: false because the example app deploys this stack to try it out and cdk destroy must remove it; the example stack class defaults to true, and the context value exampleDeletionProtection=true turns it on in the example app');
  }
}
