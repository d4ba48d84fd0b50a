#!/usr/bin/env node
// Synthesizes every example stack, audited by the four standard cdk-nag packs and this library's
// ContainerPlatform pack: `npx cdk synth` fails on any unacknowledged finding. Stacks are
// environment-agnostic, so no AWS account, credentials or lookup is needed.
import { App, Validations } from 'aws-cdk-lib';
import { EXAMPLES } from '../examples';
import { ComplianceReport } from '../lib';

const app = new App();
Validations.of(app).addPlugins(...ComplianceReport.platformPacks());

for (const example of EXAMPLES) {
  example.create(app, example.id);
}

app.synth();
