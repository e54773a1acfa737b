// Apart from diff.ts, so that the command's definition (diff-command.ts) has them without loading it.

/** As diff(1): 0 the same, 1 they differ, 2 the diff could not be made (so that a script never takes an error for a difference). */
export const DIFF_EXIT = { same: 0, differ: 1, error: 2 } as const;
