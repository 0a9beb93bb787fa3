# shmlab in English: Shared by every command: the error and warning prefixes, sentence gaps, failed system calls, interrupts.
# Every message must exist in ../zh/common.ftl with the same arguments (tested).

## Prose
# Between two sentences of a paragraph: a space in English, nothing in Chinese.
sentence-gap = { " " }
grid-in-every-row = In every row: { $values }.
# Between a label and what follows it.
label-colon = { ": " }
# Between two clauses of one line (a failure and its fix).
clause-gap = { "; " }

## How a line on stderr starts
cli-error = shmlab: error: { $message }
cli-stopped = shmlab: stopped: { $message }
cli-warning = shmlab: warning: { $message }

## Errors every lab can give
interrupted = interrupted by { $signal }: stopped every child and removed every object this run created
# A failed system call: shmget on key 0x1 failed: ENOSPC (No space left on device)
sys-failed = { $call } on { $object } failed: { $errno }
param-out-of-range = { $param } { $value } is out of range { $range }
