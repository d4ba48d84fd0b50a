// Module-private: shared by every construct that creates a log group. Not exported from lib/index.ts.
import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The retention periods CloudWatch Logs accepts (PutRetentionPolicy / AWS::Logs::LogGroup RetentionInDays),
 * the values of logs.RetentionDays. JavaScript and Python callers can pass any number in its place, which
 * synthesizes and then fails at deploy.
 */
const CLOUDWATCH_RETENTION_DAYS = new Set<number>([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);

/** Fails on a retention CloudWatch Logs would reject. INFINITE (no RetentionInDays) is accepted; tokens are not checked. */
export function validateLogRetention(prop: string, retention: logs.RetentionDays | undefined): void {
  if (retention === undefined || Token.isUnresolved(retention) || retention === logs.RetentionDays.INFINITE) {
    return;
  }
  if (!CLOUDWATCH_RETENTION_DAYS.has(retention)) {
    throw new Error(`${prop}: CloudWatch Logs keeps logs for one of ${[...CLOUDWATCH_RETENTION_DAYS].join(', ')} days (or INFINITE), got ${retention}; use a logs.RetentionDays value such as logs.RetentionDays.ONE_YEAR`);
  }
}
