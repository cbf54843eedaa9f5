import { strict as assert } from 'node:assert';
import { compareGroups, sortVersionsByPriority } from '../../../../sandbox/discovery/ordering.js';

describe('discovery ordering', () => {
  const versionCases: Array<{ title: string; given: string[]; expected: string[] }> = [
    { title: 'orders v1 before v1beta1', given: ['v1beta1', 'v1'], expected: ['v1', 'v1beta1'] },
    { title: 'orders a higher GA major first', given: ['v1', 'v2'], expected: ['v2', 'v1'] },
    { title: 'orders any GA before any beta', given: ['v2beta1', 'v1'], expected: ['v1', 'v2beta1'] },
    { title: 'orders any beta before any alpha', given: ['v2alpha1', 'v1beta1'], expected: ['v1beta1', 'v2alpha1'] },
    { title: 'orders a higher beta minor first', given: ['v1beta1', 'v1beta2'], expected: ['v1beta2', 'v1beta1'] },
    { title: 'orders v1alpha2 before v1alpha1', given: ['v1alpha1', 'v1alpha2'], expected: ['v1alpha2', 'v1alpha1'] },
    {
      title: 'puts non-Kubernetes versions last, alphabetically',
      given: ['foo10', 'v1alpha1', 'foo1'],
      expected: ['v1alpha1', 'foo1', 'foo10'],
    },
    { title: 'drops duplicates', given: ['v1', 'v1'], expected: ['v1'] },
  ];
  for (const c of versionCases) {
    it(c.title, () => assert.deepEqual(sortVersionsByPriority(c.given), c.expected));
  }

  it('lists the core group first, then built-in groups in kube-aggregator order, then custom groups by name', () => {
    const groups = ['gateway.solo.io', 'apiextensions.k8s.io', 'batch', 'apps', '', 'admin.gloo.solo.io'];
    assert.deepEqual(groups.sort(compareGroups), ['', 'apps', 'batch', 'apiextensions.k8s.io', 'admin.gloo.solo.io', 'gateway.solo.io']);
  });
});
