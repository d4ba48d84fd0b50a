import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { newApp } from '../helpers';

/** One synthesized example: its stack, its template, and what AWS's CloudFormation validator said of it. */
export interface SynthesizedExample {
  readonly stack: Stack;
  readonly template: Template;
  readonly validationViolations: unknown[];
}

/**
 * Synthesizes every example in one App, as `npx cdk synth` does (cdk.json context, AWS's
 * CloudFormation validator on). One synthesis for all examples: the validator's cold start
 * (~2 s) is paid once rather than once per example.
 */
export function synthesizeExamples(): Map<string, SynthesizedExample> {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    const app = newApp();
    const stacks = EXAMPLES.map((e) => e.create(app, e.id));
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const violations: any[] = report.pluginReports.flatMap((r: any) => r.violations ?? []);
    const result = new Map<string, SynthesizedExample>();
    for (const stack of stacks) {
      const artifact = assembly.getStackByName(stack.stackName);
      result.set(stack.stackName, {
        stack,
        template: Template.fromJSON(artifact.template),
        validationViolations: violations.filter((v) => (v.violatingResources ?? []).some((r: any) =>
          r.templatePath === undefined || path.basename(r.templatePath) === artifact.templateFile)),
      });
    }
    return result;
  } finally {
    process.env.CDK_VALIDATION = previous;
  }
}
