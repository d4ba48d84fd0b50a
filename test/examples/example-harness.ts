import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { newApp } from '../helpers';

/** A stack class of examples/: what bin/app.ts instantiates. */
export type ExampleStackClass<T extends Stack> = new (scope: Construct, id: string) => T;

/**
 * Synthesizes one example stack as `npx cdk synth` would (cdk.json context, AWS's CloudFormation
 * validator on) and returns its template and the validator's violations.
 */
export function synthesizeExample<T extends Stack>(cls: ExampleStackClass<T>, id: string): { stack: T; template: Template; validationViolations: unknown[] } {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    const app = newApp();
    const stack = new cls(app, id);
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const validationViolations = report.pluginReports.flatMap((r: any) => r.violations ?? []);
    return { stack, template: Template.fromJSON(assembly.getStackByName(stack.stackName).template), validationViolations };
  } finally {
    process.env.CDK_VALIDATION = previous;
  }
}
