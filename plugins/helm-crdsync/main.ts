#!/usr/bin/env node
/**
 * `helm crdsync`: sync a chart's CustomResourceDefinitions into the cluster before `helm upgrade`
 * (Helm creates CRDs from crds/ on install but never upgrades them).
 *
 * The composition root. As a Helm plugin it runs with Helm's plugin environment
 * (research/crdsync.md §5.1): helm strips --debug, --kube-context, -n/--namespace and
 * --kubeconfig from our arguments and passes them as HELM_DEBUG, HELM_KUBECONTEXT,
 * HELM_NAMESPACE and KUBECONFIG; runPlugin reads them for `host: 'helm'`.
 */
import { runPlugin } from '../../shared/cli/run-plugin.js';
import { createCommands } from './commands/index.js';

await runPlugin({
  toolName: 'helm-crdsync',
  scriptName: 'helm crdsync',
  description: "Sync a chart's CRDs into the cluster (Helm never upgrades them).",
  host: 'helm',
  commands: createCommands,
});
