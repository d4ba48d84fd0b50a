import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { ComplianceReport } from '../lib/compliance/compliance-report';

/** The feature flags of cdk.json, so that tests build what `npx cdk synth` builds. */
const CDK_CONTEXT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;

/** An App with the project's cdk.json context. */
export function newApp(): App {
  return new App({ context: CDK_CONTEXT });
}

/** A fresh App and an environment-agnostic Stack in it. */
export function newStack(id = 'Test'): Stack {
  return new Stack(newApp(), id);
}

/** The synthesized template of a stack. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/**
 * Asserts that AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1 and this library's
 * ContainerPlatform pack report no unacknowledged finding on a scope, and prints them one per line when they do.
 */
export function expectNoComplianceFindings(scope: IConstruct): void {
  expect(ComplianceReport.check(scope, ComplianceReport.platformPacks()).toString()).toBe('no findings');
}

/** The rule ids of the unacknowledged findings of the five packs on a scope, deduplicated and sorted. */
export function complianceRuleIds(scope: IConstruct): string[] {
  return [...new Set(ComplianceReport.check(scope, ComplianceReport.platformPacks()).findings.map((f) => f.ruleId))].sort();
}

/** The resources of one type in a template, as [logicalId, resource] pairs. */
export function resourcesOfType(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}
