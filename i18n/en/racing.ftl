# shmlab in English: racing. Every message must exist in ../zh/racing.ftl
# with the same arguments (tested). Numbers arrive formatted.

## racing
racing-backend = backend
racing-lock = lock
racing-protects = protects
racing-expected = expected
racing-final-spread = final min/med/max
racing-finals = finals
racing-lost-median = lost med
racing-ms-median = ms med
racing-final = final
racing-lost = lost
racing-ms = ms
racing-yes = yes
racing-no = NO
racing-every-trial = Every trial:
racing-finals-spread = `finals` shows how the { $trials } finals spread between min and max; --long (or --json) lists every trial.
racing-one-child = one child
racing-each-child = each of the { $children } children
racing-times = , { $n } times
racing-how-to-read = How to read this: { $who } read the shared counter, slept { $delay } µs, then wrote back what it had read plus one{ $times }. Run one after another they would leave { $expected }.
racing-reading-lost = Run at the same time they do not: { $losing } of { $total } unprotected trials lost updates, up to { $lost } of { $expected } ({ $what }). A child that reads the counter while another child sits between its read and its write reads the same old value; both write back old + 1, and one increment vanishes. That is a lost update, and the final value counts only the writes that survived. The counter lives in memory every child really shares; sharing is not the problem, the unprotected read-modify-write is. How many updates get lost depends on how the children overlap: CPUs, scheduler, timer slack and fork speed, so it varies from run to run and machine to machine.
racing-control = With one child nothing can overlap, so no update can be lost: that is the control experiment.
racing-no-overlap = Every unprotected trial here came out exact: the children did not overlap this time (fork was slower than each child's work). Raise --children or --delay-us to make them overlap, and updates will be lost.
racing-protections = The protections:
racing-exact = every trial exact
racing-lost-updates = lost updates
# Between a protection's verdict and what the protection is.
racing-verdict-gap = { ": " }

## locks: what each protection is
lock-none = no protection: concurrent read-modify-writes overwrite each other
lock-atomic = no lock at all: one atomic fetch_add makes the read-modify-write indivisible
lock-flock = flock on a descriptor each child opened itself: one open file description per child
lock-fcntl = POSIX record lock: owned by the process, so an inherited descriptor works
lock-ofd = OFD lock on a descriptor each child opened itself: owned by its open file description
lock-posix-sem = unnamed semaphore in the shared page; uncontended sem_wait is one atomic, no syscall
lock-named-sem = named semaphore in /dev/shm/sem.*; the same futex word, reached by name
lock-sysv-sem = System V semaphore: every semop is a system call; SEM_UNDO undoes a dead holder
lock-mutex = robust process-shared mutex: futex fast path; a dead owner is reported as EOWNERDEAD
lock-mutex-nonrobust = process-shared mutex without the robust attribute: fast, but a dead owner keeps it
lock-flock-inherited = NOT a lock between the children: they all share the parent's open file description, and a flock belongs to the open file description, so every child already 'holds' it

## racing: errors and failures
racing-sweep-bad = { $param } '{ $spec }' { $why }; write a parameter and its values, as in delay-us=0,1,10,100,1000 (the parameters are delay-us, timer-slack and children)
racing-sweep-no-equals = has no '='
racing-sweep-not-number = has a value that is not a whole number
racing-sweep-count = needs 1 to 20 values
racing-sweep-unknown = sweeps an unknown parameter
racing-schedule-clash = { $schedule } cannot be combined with { $param }: a schedule sets its own children and steps and has no sleep; leave { $param } out
racing-trace-trials-alone = { $trace_trials } needs { $trace }: add it, or leave { $trace_trials } out
racing-trace-too-many = { $trace } records every critical section, { $sections } here ({ $children } × { $iterations }); at most { $most } fit: use fewer { $children } or { $iterations }
racing-children-failed = { $failed } child(ren) did not exit cleanly (crashed, killed, or still running at the { $timeout } and killed); their updates are missing from the finals
racing-lock-lost = { $lock } on { $backend } lost updates although it should exclude: finals { $finals } of { $expected }

## schedule: a --schedule that cannot run as written
schedule-refused = the { $param } { $why }
schedule-empty = is empty; give steps such as "A.read B.read A.write B.write" or a name ({ $names })
schedule-missing-child = names { $last } but gives { $missing } no step; children are lettered in order from A
schedule-not-a-step = has '{ $word }', which is not a step: a step is a child's letter (A to D), a dot and read, write, lock or unlock, as in A.read; or use a named schedule ({ $names })
schedule-too-many-children = has '{ $word }': a schedule runs at most { $most } children, A to D (more would not fit on a page)
schedule-step-while-waiting = deadlocks: step { $n } ({ $step }) is { $who }'s, but { $who } is still waiting for the lock it asked for at step { $at } and { $holder } holds; put { $holder }.unlock before step { $n }
schedule-read-twice = has { $who } read twice (steps { $first } and { $n }) without writing in between; each read is followed by that child's write
schedule-write-before-read = has { $who } write at step { $n } before it read: a write stores what the child read plus one, so every write needs an earlier read by the same child
schedule-lock-twice = deadlocks: { $who } asks for the lock again at step { $n } while it holds it; a second lock by the holder waits for itself
schedule-two-waiters = has { $who } wait for the lock at step { $n } while { $waiter } already waits: with two waiters the lock, not the schedule, picks who goes next; let { $holder } unlock first
schedule-unlock-not-held = has { $who } unlock at step { $n } a lock it does not hold
schedule-never-unlocked = deadlocks: { $waiter } waits for the lock from step { $at } on, and { $holder } never unlocks
schedule-ends-held = ends with { $holder } holding the lock: add { $holder }.unlock
schedule-never-writes = has { $who } read at step { $at } but never write; add { $who }.write

## replay: running a --schedule
replay-too-many-steps = the { $param } has { $steps } steps; at most { $most } are replayed
replay-lock-cannot-hold = the { $schedule } takes a lock, and { $lock } { $bad } has nothing that one child holds while another waits; use a real lock (mutex, the default, or posix-sem, sysv-sem, flock, fcntl, ofd, named-sem)
replay-turn-word = a turn word
replay-await-ask = { $who } to ask for the lock (step { $n })
replay-await-step = step { $n } ({ $step })
replay-await-through = step { $step } to get the lock after step { $n }
replay-child-failed = a child of the schedule did not end cleanly: { $how }
replay-child-ended = a child of the schedule ended while shmlab waited for { $what }
replay-stuck = waited { $seconds } s for { $what }; the children are stuck

## schedule: the table of a replayed schedule and its reading
racing-schedule-title = Schedule { $name }{ $steps } ({ $backend } / { $lock })
racing-schedule-name = { $name }:{ " " }
schedule-step = step
schedule-predicted = predicted
schedule-measured = measured
schedule-measured-trials = measured (trials)
schedule-what-happens = what happens
schedule-reads = { $who } reads { $value }
schedule-writes = { $who } writes { $read } + 1 = { $value }
schedule-takes-lock = { $who } takes the lock
schedule-releases-lock = { $who } releases the lock
schedule-waits-seen = { $who } asks for the lock while it is held: waits until step { $until } (seen waiting in { $waited } of { $trials } trials)
schedule-waits-asleep = { $who } asks for the lock while it is held: waits until step { $until } (seen asleep in the kernel)
schedule-erased-step = step { $n } ({ $step })
schedule-and = { " and " }
schedule-erases = ; erases the update of { $steps }
schedule-final-agrees = Final counter: predicted { $predicted }, measured { $measured }, as predicted; { $writes } writes, so { $writes } without any overlap.
schedule-final-differs = Final counter: predicted { $predicted }, measured { $measured }: NOT as predicted; { $writes } writes, so { $writes } without any overlap.
schedule-not-as-written = The children did not do what the schedule says: a step saw another value than predicted. That is a bug in shmlab or a lock that does not exclude; please report it with this output.
schedule-how-to-read = How to read this: the children ran exactly the steps above, in that order, each released by shmlab in turn, so the result is the same every time.
schedule-nothing-lost = No write overwrote another child's update: every read came after the previous write, so all { $writes } increments count.
schedule-victim = { $who }'s { $value }
schedule-vanished-one = Step { $n } made an update vanish: { $who } had read { $value } at step { $read_step }, before { $victims } was written, and wrote { $value } + 1 = { $wrote } over it.
schedule-vanished-many = Step { $n } made updates vanish: { $who } had read { $value } at step { $read_step }, before { $victims } were written, and wrote { $value } + 1 = { $wrote } over them.
schedule-lock-step = A lock step that finds the lock held does not return: the child sleeps in the kernel until the holder unlocks, so its read comes after the holder's write. That is what a lock does to the race.
schedule-and-victims = { " and " }

## racing --long: every trial
racing-long-finals = finals   { $finals }
racing-long-lost = lost     { $lost }
racing-long-wall = wall ms  { $wall }

## trace: what --trace shows under the racing table
trace-one-trial = 1 trial
trace-trials = { $n } trials
trace-replayed = The trace ({ $name }, { $traced } traced): the reconstruction gives exactly the final value in { $replayed } of { $complete } trials.
trace-replayed-wrong = The trace ({ $name }, { $traced } traced): the reconstruction gives exactly the final value in { $replayed } of { $complete } trials (a trace that does not is wrong: please report it).
trace-protected = With { $lock } no two windows overlap: when a child read the counter, { $mean } others were on average (at most { $most }) between their read and their write, so no write could be based on a stale read. A window lasted { $window } and the children were forked { $spacing } apart; { $why }.
trace-atomic-why = there is nothing to wait for, the read and the write are one instruction
trace-lock-why = a child that came while another held the lock waited there, before its read
trace-default-slack = the default 50 µs timer slack
trace-slack = a timer slack of { $ns } ns
trace-unprotected = In the first traced trial a child sat { $window } between its read and its write (it asked to sleep { $delay } µs; { $slack } and the wake-up make the rest), the children were forked { $spacing } apart and each started { $start } after its fork. So a window holds about { $per_window } fork spacings: when a child read the counter, { $mean } others were on average (at most { $most }) between their read and their write, and each of them would overwrite whatever this one wrote. Roughly one update in { $one_in } survives: predicted final about { $predicted }, measured { $measured }. Shorten the window (--delay-us 0, --timer-slack 1) or space the forks out and fewer updates are lost.
trace-example = For example: child { $victim } read { $victim_read } at { $victim_read_at }; child { $eraser } read { $eraser_read } at { $eraser_read_at }; { $victim } wrote { $victim_wrote } at { $victim_write_at }; { $eraser } wrote { $eraser_wrote } at { $eraser_write_at }: child { $victim }'s update was lost.

## racing: chart titles
racing-chart-finals = Final counter values per trial
racing-chart-timeline = One traced trial: every child's read and write
