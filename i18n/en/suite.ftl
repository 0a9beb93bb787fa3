# shmlab in English: reproduce, run, report and compare: verdicts, notes, report.md.
# Every message must exist in ../zh/suite.ftl with the same arguments (tested).

## Suite files (spec.rs)
suite-cannot-read = cannot read suite { $path }: { $error }
suite-not-valid = suite { $name } is not valid: { $error } (see experiments/article.json for the format)
suite-bad = suite { $name }: { $what }
suite-bad-name = field `suite` must be a short name of letters, digits, - and _, not { $name }
suite-no-runs = field `runs` is empty: a suite needs at least one run
suite-id-twice = run id { $id } appears twice; ids must be unique
suite-bad-run = run { $id }: { $what }
suite-id-not-string = field `id` must be a string, not { $value }
suite-field-not-string = run { $id }: field `{ $field }` must be a string, not { $value }
suite-bad-expect = run { $id }: expect: { $error }

## Verdicts: the status as people read it (JSON keeps reproduced, differs, ...)
verdict-reproduced = reproduced
verdict-differs = differs
verdict-inconclusive = inconclusive
verdict-skipped = skipped
# The tally: 11 reproduced, 1 differ, 0 skipped
tally-reproduced = { $n } reproduced
tally-differ = { $n } differ
tally-inconclusive = { $n } inconclusive
tally-skipped = { $n } skipped
tally-gap = { ", " }

## Verdicts (src/suite/verdict.rs): our figure ("ours") and the note
verdict-run-failed = the run failed: { $why }
verdict-none-found = this run produced no { $what } records to judge
verdict-what-ipc = bench-ipc records at 64 B (latency, spin and pipe) and 64 KiB (throughput, shm and pipe)
verdict-what-posix = posix poll and epoll
verdict-what-unprotected = unprotected racing
verdict-what-protected = protected racing
verdict-what-memory = memory
verdict-what-huge = huge-page memory
verdict-what-limits = limits
verdict-what-crash = crash
verdict-what-bench = single-process bench
verdict-ipc-ours = 64 KiB: shm { $shm } GiB/s, pipe { $pipe } GiB/s; 64 B one-way: shm/spin { $spin_ns } ns, pipe { $pipe_ns } ns
verdict-ipc-note = shared memory saves the two copies and the system calls; a sleeping reader still costs a wake-up (futex, eventfd)
verdict-ipc-lost = shared memory did not win here: see the bench-ipc table (a busy machine hurts the spinning ring most)
verdict-posix-ours = poll: { $poll }; epoll_ctl: { $epoll }
verdict-epoll-accepted = accepted
verdict-epoll-failed = failed with { $errno }
verdict-posix-note-ok = epoll accepted the descriptor on this kernel
verdict-posix-note = poll and select call a tmpfs file ready at once, whatever the memory holds, and epoll refuses it: readiness needs an eventfd (or a futex) beside the shared memory
verdict-race-ours = { $label }: finals { $lo }..{ $hi }, median { $median } of { $expected } ({ $losing }/{ $trials } trials lost)
verdict-race-note = the exact values depend on the machine (CPUs, fork speed, timer slack); the race itself reproduces
verdict-race-no-loss = some runs lost no updates: the children did not overlap here; raise children or delay_us
verdict-protected-ours = { $pairs } backend/lock pairs, { $trials } trials, every final exact
verdict-protected-lost = lost updates under a lock: { $which }
verdict-protected-bug = a correct lock lost updates: a bug
verdict-rerun-quiet = { $noise }; rerun on a quiet machine
verdict-shmem-noisy = { $backend }: the machine's Shmem moved by { $moved } MiB more than the segment's own pages (+{ $own } MiB): other processes changed their shared memory during the run
verdict-shmem-ours = { $backend }: Shmem { $shmem } MiB for { $size } MiB
verdict-shmem-ours-own = { $backend }: Shmem { $shmem } MiB for { $size } MiB, its own pages { $own } MiB
verdict-used-noisy = { $backend }: the segment's own pages are all there, but MemFree moved by { $memfree } MiB on its own (other processes, reclaim), so the article's `used` (total − free − buffers − cache) moved by { $used } MiB for no reason of the segment's
verdict-free-ours = { $backend }: shared { $shared } MiB, buff/cache { $cache } MiB, used (procps 3.3) { $used } MiB
verdict-free-note = today's free (procps-ng >= 4.0.1) computes used = total - available and shows used { $used } (shmem cannot be reclaimed); the article's procps 3.3 counted these pages as cache
verdict-noise-then = { $noise }. { $note }
verdict-huge-ours = { $backend }: HugePages_Rsvd { $rsvd } at create, HugePages_Free { $free } at touch ({ $pages } pages)
verdict-huge-note = pages are reserved at creation and consumed at first touch
verdict-huge-shared-ours = { $backend }: shared { $shared } MiB at touch
verdict-pool-note = raising vm.nr_hugepages by { $pages } pages before the run moved used by { $used } MiB: huge pages count as used from the moment they are in the pool (the article's pool was reserved beforehand)
verdict-limits-unchecked = no size was checked
verdict-limits-add-check = add `check` to the run
verdict-limits-ours = shmmax { $shmmax }, shmall { $shmall } pages, shmmni { $shmmni }: { $answer }
verdict-limits-fits = fits
verdict-limits-blocked = blocked
verdict-limits-note = since Linux 3.16 shmmax and shmall default to nearly 2^64: the SysV limits no longer stop such a segment, memory does
verdict-futex-ours = slowest futex lock { $futex } { $futex_ns } ns, fastest syscall lock { $syscall } { $syscall_ns } ns: { $ratio }x
# Huge pages and the TLB (src/suite/tlb.rs)
verdict-tlb-no-4k = no 4 KiB row with random reads: run compare-pages with access random
verdict-tlb-not-backed = { $pages }: no huge page backed it
verdict-tlb-no-huge-row = no huge page row could run ({ $why })
verdict-tlb-no-reads = no random reads recorded
verdict-tlb-ours = random reads over { $size }: 4K { $small_ns } ns, { $pages } { $huge_ns } ns ({ $ratio }×)
verdict-tlb-misses = dTLB misses per read { $small } against { $huge }
verdict-tlb-tables = page tables +{ $small } KiB against +{ $huge } KiB
verdict-tlb-note = the article gives no figure; here a 4 KiB read far beyond the TLB's reach misses it and walks the page tables, while one 2 MiB TLB entry covers 512 times as much and its walk ends a level earlier; over small working sets both page sizes read alike
verdict-tlb-note-uncounted = the article gives no figure; here a 4 KiB read far beyond the TLB's reach misses it and walks the page tables, while one 2 MiB TLB entry covers 512 times as much and its walk ends a level earlier; over small working sets both page sizes read alike (TLB misses not counted: { $why })
verdict-tlb-not-slower = 4 KiB pages were not at least { $ratio }× slower here: cache misses dominate, or the CPU's TLB reach and page-walk caches hide the walk; see the compare-pages table
# Containers (src/suite/container.rs)
verdict-no-observation = this run has no observation { $path }
verdict-no-charge = { $path } recorded no charge or no size
verdict-charged-ours = group { $group } holds { $shmem } of shared memory, { $pct }% of the { $size } object; A has counted { $kills }
verdict-no-oom-kill = no OOM kill
verdict-one-oom-kill = 1 OOM kill
verdict-oom-kills = { $n } OOM kills

## Running a suite (src/suite/runner.rs)
suite-cannot-create = cannot create { $path }: { $error }; pass a writable --out
suite-too-many-dirs = too many run directories for { $name } in { $root }
suite-rerun-as-root = rerun as root: `sudo { $command }`

## The verdicts on the terminal (src/report/table/verdicts.rs)
# Each begins a line under the claim; the values line up after them.
report-line-article = { "article: " }
report-line-ours = { "ours:    " }
report-line-note = { "note:    " }
report-claims-one = { $n } claim: { $tally }.
report-claims = { $n } claims: { $tally }.

## report.md (src/report/markdown.rs)
report-title = # shmlab: suite { $suite }, { $started }
report-verdicts = Verdicts
report-tally = { $tally }.
report-verdicts-header = run | claim | article | ours | verdict | note
report-machine = Machine
report-machine-is = kernel { $kernel } ({ $arch }), { $cpus } CPUs, { $memory } of memory, { $procps }.
report-procps-unknown = procps version unknown
report-settings-header = setting | value
report-steps = Steps
report-steps-header = run | experiment | took |
report-step-failed = **failed**: { $why }
report-step-skipped = skipped: { $why }
report-total = total
report-charts = Charts

## What the commands print (src/commands.rs)
suite-built-in = built-in article.json
suite-everything-in = Everything is in { $dir }/ (results.json, report.md, charts).
suite-runs-failed = run(s) { $runs } failed; see report.md
suite-run-summary = { $runs } ({ $skipped } skipped, { $failed } failed), { $records }, { $verdicts }.
suite-count-run = { $n } run
suite-count-runs = { $n } runs
suite-count-record = { $n } record
suite-count-records = { $n } records
suite-count-verdict = { $n } verdict
suite-count-verdicts = { $n } verdicts
report-wrote = wrote { $dir }/report.md and { $n } chart(s): { $charts }
clean-nothing = Nothing to clean: shmlab's registry ({ $dir }) lists no leftovers.
clean-problems = { $problems } of { $n } registered object(s) could not be checked or removed; see the lines above
suite-lab-done = done: { $lock } with { $procs } process(es): { $ns } ns/op
suite-lab-stopped-after = (stopped after { $n } record(s); the rest did not run)
suite-list-unmarked = Nothing could be marked as shmlab's: { $problem }
suite-man-wrote = wrote { $n } man pages in { $dir }

## Reading and writing a run directory (src/report/render.rs, plausible.rs)
report-cannot-write = cannot write { $path }: { $error }; make the run directory writable, or pass another one
report-not-regular = { $path } is { $kind }, not a results file; pass a run directory made by `shmlab run`
report-too-large = { $path } is { $size } ({ $bytes } bytes), more than the { $limit } a results file may be; pass a run directory made by `shmlab run`
report-cannot-read = cannot read { $path }: { $error }; pass a run directory made by `shmlab run`
report-not-results = { $path } is not a shmlab results file: { $error }
report-implausible = { $path }: { $found }; correct it, or run the suite again
report-not-plausible = { $path } = { $number } is not a plausible measurement (expected 0 or a magnitude between { $smallest } and { $largest })
report-kind-directory = a directory
report-kind-char-device = a character device
report-kind-block-device = a block device
report-kind-fifo = a FIFO (named pipe)
report-kind-socket = a socket
report-kind-symlink = a symbolic link

## shmlab compare (src/compare/table.rs)
compare-group-racing = Racing: the median final of each unprotected race (of its expected value). Expect it to vary: it depends on the CPUs, on how fast fork is and on the timer slack.
compare-group-locks = Locks: what one lock and unlock costs. It varies with the CPU and with how many CPUs share the lock; the order of the locks should not.
compare-group-memory = Memory: where a touched segment's pages show up. Shmem and shared should equal the segment's size on every machine; a machine-wide figure also moves with whatever else ran.
compare-group-pages = Page sizes: the first touch of every page of a mapping, by page size.
compare-group-ipc = IPC: one-way latency of a small message, by transport.
compare-runs-run = run
compare-runs-suite = suite
compare-runs-kernel = kernel
compare-runs-cpus = CPUs
compare-runs-memory = memory
compare-runs-started = started (UTC)
compare-runs-schema = schema
compare-runs-compared = { $n } run(s) compared
compare-claims = Claims: { $judged } judged; { $same } with the same status in every run, { $differing } not.
compare-claim = claim
compare-status-in-each = status in each run
compare-not-judged = not judged in { $n } run(s)
compare-col-figure = figure
compare-col-unit = unit
compare-col-runs = runs
compare-col-min = min
compare-col-median = median
compare-col-max = max
compare-col-varies = varies
compare-col-strip = 0 → max, ● a run
compare-some-of = { $n } of { $runs }
compare-each-figure = figure
compare-each-run = run
compare-each-value = value
compare-every-run = Every run:
# The figures' names (JSON keeps the English, the same in every run)
compare-figure-racing = { $run }: { $backend }, { $children } children
compare-figure-locks = { $run }: { $lock } with { $procs } process(es)
compare-figure-memory = { $run }: { $backend } { $size }, { $counter } after touch
compare-counter-shmem = Shmem
compare-counter-used = free's used
compare-counter-shared = free's shared
compare-counter-available = MemAvailable
compare-figure-pages = { $pages } pages, touch { $size }
compare-figure-ipc = { $run }: { $transport } { $size }, one-way, { $placed }
compare-placed-cpus = CPUs { $a },{ $b }
compare-placed-unpinned = unpinned
compare-unit-of-expected = of expected
# A lab's note on stderr while it runs.
suite-lab-note = shmlab: { $text }
report-run-heading = ## { $id }: { $title }
# The crash verdict's figure: flock recovered, fcntl recovered, ...
verdict-crash-lock = { $lock } { $verdict }

## The settings a racing sweep varies (src/report/sweep.rs)
report-sweep-children = children
report-sweep-delay = delay µs
report-sweep-slack = slack ns
report-sweep-default = default
report-sweep-children-label = { $n } children
report-sweep-delay-label = delay { $us } µs
report-sweep-default-slack = default slack
report-sweep-slack-label = slack { $ns } ns
