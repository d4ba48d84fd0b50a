import { Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The one way this library records why a compliance finding does not apply.
 *
 * Acknowledgements go through aws-cdk-lib's `Validations` API, which cdk-nag 3
 * reads, so they stay on the narrowest construct and show up in the
 * validation report with their reason.
 */
export class Compliance {
  /**
   * Acknowledge one finding on one construct (and the resources below it).
   *
   * @param scope the narrowest construct the finding is raised on
   * @param ruleId a rule id such as `AwsSolutions-IAM4`, or a finding id such as
   *   `AwsSolutions-IAM5[Resource::*]` to keep the acknowledgement narrow, or a CloudFormation
   *   validator id such as `CloudFormation-Validate::W9009`
   * @param reason why the finding does not apply: name the prop that would
   *   remove it, or the AWS limit that makes it unavoidable
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (!ruleId || ruleId.trim() !== ruleId || !/^[A-Za-z0-9.]+-[A-Za-z0-9]+(::[A-Za-z0-9]+)?(\[.+\])?$/.test(ruleId)) {
      throw new Error(`ruleId: expected a cdk-nag rule id such as 'AwsSolutions-IAM4' or 'AwsSolutions-IAM5[Resource::*]', got '${ruleId}'; pass the id printed in the validation report`);
    }
    if (!Token.isUnresolved(reason) && reason.trim().length < 20) {
      throw new Error(`reason: an acknowledgement needs a reason of at least 20 characters that names the prop or AWS limit behind it, got '${reason}'; explain why ${ruleId} does not apply`);
    }
    Validations.of(scope).acknowledge({ id: ruleId, reason });
  }

  /** Acknowledge several findings on one construct with their reasons. */
  public static acknowledgeAll(scope: IConstruct, findings: AcknowledgedFinding[]): void {
    for (const f of findings) {
      Compliance.acknowledge(scope, f.ruleId, f.reason);
    }
  }

  private constructor() {}
}

/** A finding to acknowledge, with its reason. */
export interface AcknowledgedFinding {
  /** The rule or finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly ruleId: string;
  /** Why the finding does not apply: the prop that would remove it, or the AWS limit behind it. */
  readonly reason: string;
}
