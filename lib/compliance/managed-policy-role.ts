import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role whose grants land in one customer-managed policy instead of an inline `DefaultPolicy`.
 *
 * NIST 800-53, HIPAA and PCI DSS flag every inline policy (`AWS::IAM::Policy`). aws-cdk-lib's grants
 * (`repository.grantPull`, the awslogs driver, secrets, ECS Exec, aws-eks-v2's kubectl handler) all go through
 * `addToPrincipalPolicy`, so redirecting that one method keeps every grant while the role carries no
 * inline policy. Module-private: the public API exposes these roles as plain `iam.Role`.
 *
 * Attached through the role's ManagedPolicyArns, so whatever the role runs waits for its grants; a grant
 * that names a resource which itself depends on the role would close a cycle.
 */
export class ManagedPolicyRole extends iam.Role {
  private managedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    // Created on the first grant: CloudFormation rejects a managed policy without statements.
    if (!this.managedPolicy) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', { description: `Grants of ${this.node.path}` });
      this.addManagedPolicy(this.managedPolicy);
    }
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }

  /** The customer-managed policy holding this role's grants, once it has any. */
  public get grantsPolicy(): iam.ManagedPolicy | undefined {
    return this.managedPolicy;
  }
}
