# shmlab in English: Chart titles, axis labels and legends of the SVG charts.
# Every message must exist in ../zh/chart.ftl with the same arguments (tested).

## Every chart
chart-no-data = no data: there are no records to draw
# Between two items of a label: "2M huge pages, 64 MiB"
chart-list-comma = { ", " }
chart-failed = the chart could not be drawn: { $error }

## Racing: the shared counter after each trial (racing.rs)
chart-racing-title = Racing: the shared counter after each trial
chart-racing-lost = trial that lost updates
chart-racing-exact = trial with no update lost
chart-racing-expected-one = expected { $n } (children × iterations)
chart-racing-expected-each = expected (children × iterations, value on the right)
chart-racing-expected = expected { $n }
# The subtitle: "100 children × 1 increment each, 20 trials; one dot per trial, ..."
chart-racing-setup = { $children } × { $increments } each,{ " " }
chart-racing-child = { $n } child
chart-racing-children = { $n } children
chart-racing-increment = { $n } increment
chart-racing-increments = { $n } increments
chart-racing-trial = { $n } trial
chart-racing-trials = { $n } trials
chart-racing-per-pair = { $trials } for each of { $pairs } backend/lock pairs
chart-racing-subtitle = { $setup }{ $trials }; one dot per trial, jittered vertically so equal values stay apart
chart-racing-x = final counter value (increments that survived)
chart-racing-y = backend / lock
chart-racing-no-trials = no trials

## Racing: every child's read and write (timeline.rs)
chart-timeline-title = Racing: every child's read and write, one trial
chart-timeline-subtitle = { $children } on { $backend }, lock { $lock }: { $sections } sections, { $lost } updates erased; { $shown }
chart-timeline-one-child = 1 child
chart-timeline-children = { $n } children
chart-timeline-first-shown = the first { $n } shown
chart-timeline-all-shown = all shown
chart-timeline-survived = read → write, update survived
chart-timeline-erased = update erased
chart-timeline-eraser = where the eraser wrote
chart-timeline-row = child { $child }
chart-timeline-row-iteration = child { $child } #{ $iteration }
chart-timeline-read = read { $value }
chart-timeline-eraser-read = child { $child }; read { $value }
chart-timeline-x = ms since the first fork
chart-timeline-y = child (in fork order)

## Memory (memory.rs)
chart-memory-title = Memory: where the shared segment shows up in /proc/meminfo
chart-memory-huge-pages-series = HugePages_Free × page size
chart-memory-huge-rsvd-series = HugePages_Rsvd × page size
chart-memory-huge-pages = { $size } huge pages
chart-memory-normal-pages = normal pages
chart-memory-normal = normal
chart-memory-subtitle = change since the "before" snapshot; HugePages_* are counted as pages × huge page size
chart-memory-x = phase of the run (grouped by backend and page size)
chart-memory-y = change since before (MiB)

## Locks (locks.rs)
chart-locks-title = Locks: what one protected increment costs
chart-locks-no-data = no data: no record has a positive, finite time per operation
chart-locks-process = { $n } process
chart-locks-processes = { $n } processes
chart-locks-spread = fastest to slowest repeat
chart-locks-open = open: the counter ended wrong (no exclusion)
chart-locks-subtitle = median over the repeats of wall time ÷ (processes × increments); cheapest lock at the top
chart-locks-x = ns per protected increment (log scale)
chart-locks-y = lock
chart-locks-no-measurement = no measurement

## IPC (ipc.rs)
chart-ipc-title = IPC: latency and throughput against message size
chart-ipc-no-data = no data: every point was skipped
chart-ipc-memcpy = memcpy (the copy ceiling, dashed)
chart-ipc-subtitle = log-log; left: one-way latency (median), right: throughput; every message checked
chart-ipc-x = message size (bytes)
chart-ipc-latency = one-way ns
chart-ipc-throughput = GiB/s

## Containers: cgroup charges (charge.rs)
chart-charge-title = Containers: who is charged for shared memory
chart-charge-subtitle = memory charged to each cgroup after each action (memory.current or memory.usage_in_bytes)
chart-charge-a = cgroup A: its child touched the pages
chart-charge-b = cgroup B: its child only read them
chart-charge-x = MiB charged
chart-charge-y = after
