import { FeatureSchema, SchemaError, dedupGroupsOf, featuresOfKind, validateFeatureSchema } from '@recd/core';

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'hour', kind: 'dense' },
    { name: 'item_id', kind: 'sparse', tableSize: 1000 },
    { name: 'user_id', kind: 'sparse', tableSize: 500, dedupGroup: 'session' },
    { name: 'user_history', kind: 'sequence', tableSize: 1000, maxLength: 50, dedupGroup: 'session' },
  ],
};

describe('feature schema', () => {
  it('accepts a valid schema and derives the dedup groups', () => {
    expect(() => validateFeatureSchema(schema)).not.toThrow();
    expect(dedupGroupsOf(schema)).toEqual([['user_id', 'user_history']]);
    expect(featuresOfKind(schema, 'sparse').map((f) => f.name)).toEqual(['item_id', 'user_id']);
  });

  it('names the feature and what is wrong', () => {
    const noSize = { features: [...schema.features, { name: 'cat', kind: 'sparse' as const }] };
    expect(() => validateFeatureSchema(noSize)).toThrow(SchemaError);
    expect(() => validateFeatureSchema(noSize)).toThrow(/features\[5\] "cat": expected a positive integer tableSize, got undefined/);
    const twoLabels = { features: [...schema.features, { name: 'label2', kind: 'label' as const }] };
    expect(() => validateFeatureSchema(twoLabels)).toThrow(/exactly one label feature, got 2/);
    const badKind = { features: [{ name: 'x', kind: 'image' }] } as unknown as FeatureSchema;
    expect(() => validateFeatureSchema(badKind)).toThrow(/got "image"/);
    const dup = { features: [...schema.features, { name: 'hour', kind: 'dense' as const }] };
    expect(() => validateFeatureSchema(dup)).toThrow(/"hour": name appears more than once/);
  });
});
