# shmlab in English: Shared by every command: the error and warning prefixes, sentence gaps, failed system calls, interrupts.
# Every message must exist in ../zh/common.ftl with the same arguments (tested).

## Prose
# Between two sentences of a paragraph: a space in English, nothing in Chinese.
sentence-gap = { " " }
grid-in-every-row = In every row: { $values }.
# Between a label and what follows it.
label-colon = { ": " }
# Between the items of a short list (mmap, flock).
list-gap = { ", " }
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

## What a child process reported (sys/child_status.rs)
child-done = done
child-call-failed = a system call failed with { $errno }
child-failed = failed a check
child-gave-up = gave up waiting
child-orphaned = found its parent gone and ended
child-panicked = panicked
child-exit-status = exit status { $code }
child-killed-by = killed by { $signal }

## Why the data-TLB counter cannot be opened (sys/perf.rs)
perf-no-event = this CPU exposes no data-TLB miss event to perf_event_open (virtual machines often hide the hardware counters: no `cpu` under /sys/bus/event_source/devices)
perf-refused = perf_event_open refused ({ $errno }): kernel.perf_event_paranoid is { $level } (as root, `sysctl kernel.perf_event_paranoid=2` lets users count their own processes), or a container's seccomp profile forbids the call
perf-failed = perf_event_open failed: { $errno }
