import { RecdError } from '@recd/core';

/** A DLRM configuration is malformed: says which field, what was expected and what was found. */
export class DlrmConfigError extends RecdError {}

/** A training batch does not fit the model: sizes disagree, or a feature is missing. */
export class BatchError extends RecdError {}
